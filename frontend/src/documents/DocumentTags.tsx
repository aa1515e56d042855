/** A document's tags, and an inline editor for them (tags let a chat be limited to many documents at once). */
import { useState, type FormEvent } from 'react'
import { documentsApi } from '../api/endpoints'
import { describeError } from '../api/errors'
import type { DocumentDto } from '../api/types'
import { parseTags } from '../lib/scope'

export function DocumentTags({ doc, onChanged }: { doc: DocumentDto; onChanged(doc: DocumentDto): void }) {
  const [editing, setEditing] = useState(false)
  const [draft, setDraft] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const tags = doc.tags ?? []

  const save = async (e: FormEvent) => {
    e.preventDefault()
    setBusy(true)
    try {
      onChanged(await documentsApi.setTags(doc.id, parseTags(draft)))
      setEditing(false)
      setError(null)
    } catch (err) {
      setError(describeError(err))
    } finally {
      setBusy(false)
    }
  }

  if (editing) {
    return (
      <form className="tag-form" onSubmit={save}>
        <label className="visually-hidden" htmlFor={`tags-${doc.id}`}>
          Tags for {doc.filename}, separated by commas
        </label>
        <input
          id={`tags-${doc.id}`}
          data-testid="tags-input"
          value={draft}
          placeholder="manuals, 2026"
          autoFocus
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={(e) => e.key === 'Escape' && setEditing(false)}
          aria-invalid={Boolean(error)}
        />
        <button type="submit" className="button button-small button-primary" disabled={busy} data-testid="save-tags">
          Save
        </button>
        <button type="button" className="button button-small button-quiet" onClick={() => setEditing(false)}>
          Cancel
        </button>
        {error && (
          <span className="field-error" role="alert">
            {error}
          </span>
        )}
      </form>
    )
  }
  return (
    <span className="tag-line">
      {tags.map((t) => (
        <span key={t} className="tag" data-testid="document-tag">
          {t}
        </span>
      ))}
      <button
        type="button"
        className="link-button small"
        aria-label={`Edit tags of ${doc.filename}`}
        data-testid="edit-tags"
        onClick={() => {
          setDraft(tags.join(', '))
          setError(null)
          setEditing(true)
        }}
      >
        {tags.length ? 'Edit tags' : 'Add tags'}
      </button>
    </span>
  )
}
