/**
 * Error frames as sentences a person can act on. The server's `message` is written for developers (lower case,
 * sometimes a decoder's complaint), so known codes get fixed wording and the rest is at least a proper sentence.
 */
const FIXED: Record<string, string> = {
  invalid_frame: 'The server could not read what was sent.',
  internal_error: 'The server had a problem with this. Try again.',
  model_unavailable: 'The model is not available right now. Try again in a moment.',
  storage_unavailable: 'The service is temporarily unavailable. Try again in a moment.',
  unavailable: 'The service is temporarily unavailable. Try again in a moment.',
  stopped: 'The answer was stopped.',
}

export function readableError(code: string, message: string): string {
  if (FIXED[code]) return FIXED[code]
  const text = message.trim()
  if (!text) return 'Something went wrong.'
  const sentence = text[0]!.toUpperCase() + text.slice(1)
  return /[.!?]$/.test(sentence) ? sentence : `${sentence}.`
}
