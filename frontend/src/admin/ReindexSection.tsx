/** The admin page's re-index card: re-embed every ready document with the server's current embedder, online. */
import { useCallback, useEffect, useState } from 'react'
import { adminApi } from '../api/endpoints'
import { describeError } from '../api/errors'
import type { ReindexProgress } from '../api/types'
import { Alert } from '../components/Alert'
import { reindexActive, reindexStatusText } from './reindex'

const POLL_MS = 1500

export function ReindexSection() {
  const [started, setStarted] = useState<number | null>(null)
  const [progress, setProgress] = useState<ReindexProgress | null>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)

  const refresh = useCallback(async () => {
    try {
      setProgress(await adminApi.reindexProgress())
    } catch (err) {
      setError(describeError(err))
    }
  }, [])

  useEffect(() => {
    void refresh()
  }, [refresh])

  const active = reindexActive(progress)
  useEffect(() => {
    if (!active) return
    const timer = window.setInterval(() => void refresh(), POLL_MS)
    return () => window.clearInterval(timer)
  }, [active, refresh])

  const start = async () => {
    setBusy(true)
    setError(null)
    try {
      setStarted((await adminApi.reindex()).documents)
      await refresh()
    } catch (err) {
      setError(describeError(err))
    } finally {
      setBusy(false)
    }
  }

  const status = reindexStatusText(started, progress)
  return (
    <section className="card admin-section" data-testid="admin-reindex-section">
      <h2 className="card-title">Re-index</h2>
      <p className="muted">
        After changing the embedding model, re-embed every ready document with the server’s current embedder.
        Documents stay searchable on their old vectors until their new ones replace them.
      </p>
      {error && <Alert testId="admin-reindex-error">{error}</Alert>}
      <button
        type="button"
        className="button button-primary"
        onClick={() => void start()}
        disabled={busy || active}
        data-testid="admin-reindex"
      >
        {active ? 'Re-indexing…' : 'Re-index all documents'}
      </button>
      <p role="status" aria-live="polite" className="muted" data-testid="admin-reindex-status">
        {status}
      </p>
    </section>
  )
}
