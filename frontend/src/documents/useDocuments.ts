/** The document list, polled while anything is still pending or indexing so status chips move on their own. */
import { useCallback, useEffect, useRef, useState } from 'react'
import { documentsApi } from '../api/endpoints'
import { describeError } from '../api/errors'
import type { DocumentDto } from '../api/types'
import { LocalEditLog } from '../lib/localEdits'

export const POLL_MS = 1500

const isActive = (d: DocumentDto) => d.status === 'pending' || d.status === 'indexing'

export function useDocuments() {
  const [documents, setDocuments] = useState<DocumentDto[] | null>(null)
  const [error, setError] = useState<string | null>(null)
  const inFlight = useRef(false)
  const edits = useRef(new LocalEditLog<DocumentDto>())

  const refresh = useCallback(async () => {
    if (inFlight.current) return
    inFlight.current = true
    const since = edits.current.mark()
    try {
      const fetched = await documentsApi.list()
      setDocuments(edits.current.over(fetched, since))
      setError(null)
    } catch (err) {
      setError(describeError(err))
    } finally {
      inFlight.current = false
    }
  }, [])

  useEffect(() => {
    void refresh()
  }, [refresh])

  const active = documents?.some(isActive) ?? false
  useEffect(() => {
    if (!active) return
    const timer = setInterval(() => document.visibilityState === 'visible' && void refresh(), POLL_MS)
    return () => clearInterval(timer)
  }, [active, refresh])

  const added = useCallback((doc: DocumentDto) => {
    edits.current.added(doc)
    setDocuments((list) => [doc, ...(list ?? []).filter((d) => d.id !== doc.id)])
  }, [])

  const changed = useCallback((doc: DocumentDto) => {
    setDocuments((list) => (list ?? []).map((d) => (d.id === doc.id ? doc : d)))
  }, [])

  const remove = useCallback(async (id: string) => {
    await documentsApi.remove(id)
    edits.current.removed(id)
    setDocuments((list) => (list ?? []).filter((d) => d.id !== id))
  }, [])

  return { documents, error, refresh, added, changed, remove }
}
