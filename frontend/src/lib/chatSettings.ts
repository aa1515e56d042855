/** A chat's settings as the header shows them, and the temperature field's text read back into a number. */
import type { ChatSettings } from '../api/types'

export const DEFAULT_SETTINGS: ChatSettings = { model: null, instructions: '', temperature: null }
export const MAX_INSTRUCTIONS = 4000
export const MAX_TEMPERATURE = 2

/** One short line: the model that answers, and what differs from the defaults. */
export function describeSettings(settings: ChatSettings, defaultModel: string | null): string {
  const parts = [settings.model ?? defaultModel ?? 'default model']
  if (settings.temperature !== null) parts.push(`temperature ${settings.temperature}`)
  if (settings.instructions.trim()) parts.push('instructions')
  return parts.join(' · ')
}

/** Empty text: the model's default (null). Otherwise a number from 0 to 2, or an error message. */
export function parseTemperature(text: string): { value: number | null } | { error: string } {
  const trimmed = text.trim().replace(',', '.')
  if (!trimmed) return { value: null }
  const value = Number(trimmed)
  if (!Number.isFinite(value) || value < 0 || value > MAX_TEMPERATURE) {
    return { error: `Temperature must be a number from 0 to ${MAX_TEMPERATURE}, or empty for the model's default.` }
  }
  return { value }
}
