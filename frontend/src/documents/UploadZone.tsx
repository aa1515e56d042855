/** Drag-and-drop (or choose) several files; each gets its own progress bar and outcome. */
import { useId, useState, type DragEvent } from 'react'
import { formatBytes } from '../lib/format'
import { showDocument } from './duplicate'
import type { UploadItem } from './useUploads'

const ACCEPT = '.pdf,.docx,.md,.markdown,.html,.htm,.txt,application/pdf,text/plain,text/markdown,text/html'

interface UploadZoneProps {
  items: UploadItem[]
  onFiles(files: File[]): void
  onRetry(key: string): void
  onDismiss(key: string): void
}

export function UploadZone({ items, onFiles, onRetry, onDismiss }: UploadZoneProps) {
  const [dragging, setDragging] = useState(false)
  const inputId = useId()
  const hintId = useId()

  const onDrop = (e: DragEvent) => {
    e.preventDefault()
    setDragging(false)
    const files = [...e.dataTransfer.files]
    if (files.length) onFiles(files)
  }

  return (
    <section className="card" aria-labelledby={`${inputId}-title`}>
      <h2 id={`${inputId}-title`} className="card-title">
        Upload
      </h2>
      <div
        className={dragging ? 'dropzone dropzone-active' : 'dropzone'}
        data-testid="upload-dropzone"
        onDragOver={(e) => {
          e.preventDefault()
          e.dataTransfer.dropEffect = 'copy'
          setDragging(true)
        }}
        onDragLeave={(e) => e.currentTarget === e.target && setDragging(false)}
        onDrop={onDrop}
      >
        <p className="dropzone-text">Drag files here, or</p>
        <label htmlFor={inputId} className="button button-primary">
          Choose files
        </label>
        <input
          id={inputId}
          className="visually-hidden"
          type="file"
          multiple
          accept={ACCEPT}
          aria-label="Choose files to upload"
          aria-describedby={hintId}
          data-testid="upload-input"
          onChange={(e) => {
            const files = [...(e.target.files ?? [])]
            e.target.value = ''
            if (files.length) onFiles(files)
          }}
        />
        <p className="muted small" id={hintId}>
          PDF, Word (DOCX), Markdown, HTML or plain text.
        </p>
      </div>
      {items.length > 0 && (
        <ul className="upload-list" aria-label="Uploads">
          {items.map((item) => (
            <li key={item.key} className={`upload-item upload-${item.state}`} data-testid="upload-item" data-state={item.state}>
              <div className="upload-row">
                <span className="upload-name">{item.file.name}</span>
                <span className="muted small">{formatBytes(item.file.size)}</span>
              </div>
              {(item.state === 'queued' || item.state === 'uploading' || item.state === 'done') && (
                <progress
                  max={1}
                  value={item.progress}
                  aria-label={`Upload progress for ${item.file.name}`}
                  data-testid="upload-progress"
                />
              )}
              <div className="upload-row small">
                <span role={item.state === 'failed' ? 'alert' : undefined}>
                  {item.state === 'queued' && 'Waiting…'}
                  {item.state === 'uploading' && `Uploading ${Math.round(item.progress * 100)}%`}
                  {item.state === 'done' && 'Uploaded'}
                  {item.state === 'failed' && <span data-testid="upload-error">Failed: {item.error}</span>}
                  {item.state === 'duplicate' && (
                    <span data-testid="upload-duplicate">
                      Already uploaded: {item.error}.{' '}
                      {item.existingId && (
                        <a
                          href="#/documents"
                          className="link-button"
                          data-testid="show-existing"
                          onClick={(e) => {
                            e.preventDefault()
                            showDocument(item.existingId!)
                          }}
                        >
                          Show it
                        </a>
                      )}
                    </span>
                  )}
                </span>
                {item.state === 'duplicate' && (
                  <button type="button" className="link-button" onClick={() => onDismiss(item.key)}>
                    Dismiss
                  </button>
                )}
                {item.state === 'failed' && (
                  <span className="upload-actions">
                    {item.retryable !== false && (
                      <button type="button" className="link-button" data-testid="upload-retry" onClick={() => onRetry(item.key)}>
                        Retry
                      </button>
                    )}
                    <button type="button" className="link-button" onClick={() => onDismiss(item.key)}>
                      Dismiss
                    </button>
                  </span>
                )}
                {item.state === 'uploading' && (
                  <button type="button" className="link-button" onClick={() => onDismiss(item.key)}>
                    Cancel
                  </button>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
