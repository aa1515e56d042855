/**
 * Why an upload failed and whether trying the same file again can help. The server says so in the problem's
 * `retryable` (too large, unsupported type or unreadable input never succeed on a retry); a proxy's bare error
 * page has no problem details, so its status decides instead. Never decided from the message's wording.
 */
import { ApiError, describeError } from '../api/errors'

export interface UploadFailure {
  message: string
  retryable: boolean
}

const PERMANENT_STATUSES = new Set([400, 409, 413, 415, 422])

export function uploadFailure(error: unknown): UploadFailure {
  if (!(error instanceof ApiError)) return { message: describeError(error), retryable: true }
  const retryable =
    typeof error.problem.retryable === 'boolean' ? error.problem.retryable : !PERMANENT_STATUSES.has(error.status)
  const message =
    error.status === 413 && !error.problem.code
      ? 'The file is larger than the server accepts.'
      : sentence(describeError(error))
  return { message, retryable }
}

function sentence(text: string): string {
  return text ? text[0]!.toUpperCase() + text.slice(1) : text
}
