import { useState } from 'react'
import { documentsApi } from '../api/endpoints'
import { describeError } from '../api/errors'
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
    return <p className="empty">No documents yet. Upload a file or add a web page above; it is ready to be asked about once indexed.</p>
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
            {doc.source_url && (
              <a className="muted small document-source" href={doc.source_url} target="_blank" rel="noopener noreferrer nofollow">
                {doc.source_url}
              </a>
            )}
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
          <div className="document-actions">
            {doc.source_url && <RefetchButton doc={doc} onChanged={onChanged} />}
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
          </div>
        </li>
      ))}
    </ul>
  )
}

function RefetchButton({ doc, onChanged }: { doc: DocumentDto; onChanged(doc: DocumentDto): void }) {
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const refetch = async () => {
    setBusy(true)
    setError(null)
    try {
      onChanged(await documentsApi.refetch(doc.id))
    } catch (err) {
      setError(describeError(err))
    } finally {
      setBusy(false)
    }
  }
  return (
    <>
      <button
        type="button"
        className="button button-quiet button-small"
        aria-label={`Fetch ${doc.filename} again`}
        data-testid="refetch-document"
        disabled={busy}
        onClick={() => void refetch()}
      >
        {busy ? 'Fetching…' : 'Fetch again'}
      </button>
      {error && (
        <span className="field-error" role="alert">
          {error}
        </span>
      )}
    </>
  )
}
