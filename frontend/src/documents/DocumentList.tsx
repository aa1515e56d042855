import type { DocumentDto } from '../api/types'
import { StatusChip } from '../components/StatusChip'
import { DocumentTags } from './DocumentTags'
import { formatBytes, formatDate } from '../lib/format'

interface DocumentListProps {
  documents: DocumentDto[]
  onDelete(doc: DocumentDto): void
  onChanged(doc: DocumentDto): void
  onView(doc: DocumentDto): void
}

export function DocumentList({ documents, onDelete, onChanged, onView }: DocumentListProps) {
  if (documents.length === 0) {
    return <p className="empty">No documents yet. Upload a file above; it is ready to be asked about once indexed.</p>
  }
  return (
    <ul className="document-list" aria-label="Documents" data-testid="document-list">
      {documents.map((doc) => (
        <li
          key={doc.id}
          className="document-row"
          data-testid="document-row"
          data-document-id={doc.id}
          data-filename={doc.filename}
          tabIndex={-1}
        >
          <div className="document-main">
            <span className="document-name">{doc.filename}</span>
            <span className="muted small">
              {formatBytes(doc.size_bytes)} · {formatDate(doc.created_at)}
              {doc.status === 'ready' && doc.chunks_total > 0 && ` · ${doc.chunks_total} passages`}
            </span>
            <DocumentTags doc={doc} onChanged={onChanged} />
          </div>
          <StatusChip doc={doc} />
          {doc.status === 'indexing' && (
            <progress className="document-progress" max={1} value={doc.progress} aria-label={`Indexing ${doc.filename}`} />
          )}
          <button
            type="button"
            className="button button-quiet button-small"
            aria-label={`View ${doc.filename}`}
            data-testid="view-document"
            onClick={() => onView(doc)}
          >
            View
          </button>
          <button
            type="button"
            className="button button-quiet button-small"
            aria-label={`Delete ${doc.filename}`}
            data-testid="delete-document"
            onClick={() => onDelete(doc)}
          >
            Delete
          </button>
        </li>
      ))}
    </ul>
  )
}
