/** A refused duplicate upload (409 `duplicate_document`): the message to show and the copy already there. */
import { ApiError } from '../api/errors'

export interface Duplicate {
  documentId: string
  message: string
}

export function duplicateOf(error: unknown): Duplicate | null {
  if (!(error instanceof ApiError) || error.code !== 'duplicate_document' || !error.problem.document_id) return null
  return { documentId: error.problem.document_id, message: error.message.replace(/^this file is/, 'This file is') }
}

/** Brings the existing document's row into view and focus, so "already uploaded" leads somewhere. */
export function showDocument(documentId: string): boolean {
  const row = document.querySelector<HTMLElement>(`[data-document-id="${CSS.escape(documentId)}"]`)
  if (!row) return false
  row.scrollIntoView({ block: 'center', behavior: 'smooth' })
  row.classList.add('document-row-highlight')
  row.focus({ preventScroll: true })
  setTimeout(() => row.classList.remove('document-row-highlight'), 2500)
  return true
}
