import type { DocumentDto } from '../api/types'

export function statusText(doc: Pick<DocumentDto, 'status' | 'progress' | 'failure_reason'>): string {
  switch (doc.status) {
    case 'indexing':
      return `indexing ${Math.round(Math.min(1, Math.max(0, doc.progress)) * 100)}%`
    case 'failed':
      return `failed: ${doc.failure_reason || 'unknown error'}`
    default:
      return doc.status
  }
}

/** A document's indexing status: `pending`, `indexing n%`, `ready` or `failed: reason`. */
export function StatusChip({ doc }: { doc: DocumentDto }) {
  return (
    <span className={`chip chip-${doc.status}`} data-testid="doc-status" data-status={doc.status}>
      {doc.status === 'indexing' && <span className="chip-spinner" aria-hidden="true" />}
      {statusText(doc)}
    </span>
  )
}
