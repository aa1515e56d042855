/** "Add web page": the server fetches the address (public pages only, unless the operator allows intranet ones). */
import { useId, useState, type FormEvent } from 'react'
import { documentsApi } from '../api/endpoints'
import { describeError } from '../api/errors'
import type { DocumentDto } from '../api/types'

export function AddWebPage({ onAdded }: { onAdded(doc: DocumentDto): void }) {
  const [url, setUrl] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const id = useId()

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    const address = url.trim()
    if (!address) return
    setBusy(true)
    setError(null)
    try {
      onAdded(await documentsApi.addUrl(address))
      setUrl('')
    } catch (err) {
      setError(describeError(err))
    } finally {
      setBusy(false)
    }
  }

  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className="card-title">
        Add web page
      </h2>
      <form className="add-url-form" onSubmit={submit} data-testid="add-url-form">
        <label htmlFor={id} className="visually-hidden">
          Web page address
        </label>
        <input
          id={id}
          type="url"
          inputMode="url"
          placeholder="https://example.org/guide"
          value={url}
          maxLength={2048}
          aria-invalid={Boolean(error)}
          aria-describedby={`${id}-hint`}
          data-testid="add-url-input"
          onChange={(e) => setUrl(e.target.value)}
        />
        <button type="submit" className="button button-primary" disabled={busy || !url.trim()} data-testid="add-url-submit">
          {busy ? 'Fetching…' : 'Add'}
        </button>
      </form>
      {error ? (
        <p className="field-error" role="alert" data-testid="add-url-error">
          {error}
        </p>
      ) : (
        <p id={`${id}-hint`} className="field-hint">
          The page is fetched once and indexed like an uploaded file; “Fetch again” in the list updates it.
        </p>
      )}
    </section>
  )
}
