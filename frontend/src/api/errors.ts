/** API failures as one error type, with a sentence a person can act on for every code the backend sends. */
import type { Problem } from './types'

export class ApiError extends Error {
  readonly status: number
  readonly code: string
  readonly problem: Problem

  constructor(status: number, problem: Problem) {
    super(problem.detail || problem.title || `Request failed (${status})`)
    this.name = 'ApiError'
    this.status = status
    this.code = problem.code ?? (status === 0 ? 'network' : `http_${status}`)
    this.problem = problem
  }

  /** Field-level messages (`errors[]` of a 400), keyed by field name. */
  get fieldErrors(): Record<string, string> {
    return Object.fromEntries((this.problem.errors ?? []).map((e) => [e.field, e.message]))
  }
}

const FRIENDLY: Record<string, string> = {
  network: 'Cannot reach the server. Check your connection and try again.',
  invalid_credentials: 'Email or password is incorrect.',
  email_taken: 'An account with this email already exists. Sign in instead.',
  invalid_token: 'Your session has ended. Please sign in again.',
  account_disabled: 'This account is disabled. Ask the server’s administrator to enable it.',
  forbidden: 'Only the administrator can do this.',
  rate_limited: 'Too many requests. Wait a moment and try again.',
  unavailable: 'The service is temporarily unavailable. Try again in a moment.',
}

/** The message to show for any thrown value. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.code === 'invalid_input' || error.code === 'payload_too_large' || error.code === 'unsupported_media_type') {
      return error.message
    }
    if (FRIENDLY[error.code]) return FRIENDLY[error.code]!
    if (error.status >= 500) return 'The server had a problem. Try again in a moment.'
    return error.message
  }
  if (error instanceof Error) return error.message
  return 'Something went wrong.'
}

/** Reads a failed response as problem details, tolerating servers (or proxies) that answer with plain text. */
export async function problemFrom(response: Response): Promise<ApiError> {
  let problem: Problem = { status: response.status, title: response.statusText }
  try {
    const text = await response.text()
    if (text) {
      const parsed: unknown = JSON.parse(text)
      if (parsed && typeof parsed === 'object') problem = { ...problem, ...(parsed as Problem) }
    }
  } catch {
    // not JSON: keep status and reason phrase
  }
  return new ApiError(response.status, problem)
}
