/** Search the person's own passages: what retrieval would find, with document, page and heading; each opens its document. */
import { useRef, useState, type FormEvent } from 'react'
import { documentsApi } from '../api/endpoints'
import { describeError } from '../api/errors'
import type { SearchHit } from '../api/types'
import { Alert } from '../components/Alert'
import { PassageMeta } from '../components/PassageMeta'
import { passageBody } from '../lib/passage'
import { DocumentViewer } from '../viewer/DocumentViewer'

export function SearchPanel() {
  const [query, setQuery] = useState('')
  const [hits, setHits] = useState<SearchHit[] | null>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [opened, setOpened] = useState<SearchHit | null>(null)
  const abort = useRef<AbortController | null>(null)

  const search = async (e: FormEvent) => {
    e.preventDefault()
    const q = query.trim()
    if (!q) return
    abort.current?.abort()
    const controller = new AbortController()
    abort.current = controller
    setBusy(true)
    setError(null)
    try {
      setHits(await documentsApi.search(q, 8, controller.signal))
    } catch (err) {
      if (!controller.signal.aborted) setError(describeError(err))
    } finally {
      if (abort.current === controller) setBusy(false)
    }
  }

  return (
    <section className="card" aria-labelledby="search-title">
      <h2 id="search-title" className="card-title">
        Search passages
      </h2>
      <form className="search-form" role="search" onSubmit={search}>
        <label htmlFor="search-input" className="visually-hidden">
          Search your documents
        </label>
        <input
          id="search-input"
          type="search"
          placeholder="Search your documents…"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          data-testid="search-input"
        />
        <button type="submit" className="button" disabled={busy || !query.trim()} data-testid="search-button">
          {busy ? 'Searching…' : 'Search'}
        </button>
      </form>
      {error && <Alert>{error}</Alert>}
      {hits && (
        <div aria-live="polite">
          {hits.length === 0 ? (
            <p className="empty">No passages match. Only documents that are ready are searched.</p>
          ) : (
            <ol className="search-results" aria-label="Search results">
              {hits.map((hit) => (
                <li key={hit.chunk_id} className="search-hit" data-testid="search-result">
                  <PassageMeta filename={hit.filename} page={hit.page} headingPath={hit.heading_path ?? []} />
                  <p className="passage-text">{passageBody(hit.text)}</p>
                  <div className="small search-hit-actions">
                    <button
                      type="button"
                      className="link-button"
                      data-testid="search-open-document"
                      onClick={() => setOpened(hit)}
                    >
                      Open document
                    </button>
                  </div>
                </li>
              ))}
            </ol>
          )}
        </div>
      )}
      {opened && (
        <DocumentViewer
          target={{
            documentId: opened.document_id,
            filename: opened.filename,
            page: opened.page,
            headingPath: opened.heading_path ?? [],
            passage: opened.text,
          }}
          onClose={() => setOpened(null)}
        />
      )}
    </section>
  )
}
