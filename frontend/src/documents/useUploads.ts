/** Files being uploaded, three at a time, each with its own progress and outcome. */
import { useCallback, useEffect, useRef, useState } from 'react'
import type { DocumentDto } from '../api/types'
import { uploadDocument, type UploadHandle } from '../api/upload'
import { newUuid } from '../lib/ids'
import { duplicateOf } from './duplicate'
import { uploadFailure } from './uploadFailure'

export interface UploadItem {
  key: string
  file: File
  progress: number
  state: 'queued' | 'uploading' | 'done' | 'failed' | 'duplicate'
  error: string | null
  /** `failed`: whether sending the same file again can succeed (the server says; e.g. not when too large). */
  retryable?: boolean
  /** `duplicate`: the document already uploaded with exactly these bytes. */
  existingId?: string
}

const PARALLEL = 3
const DONE_VISIBLE_MS = 2500

export function useUploads(onUploaded: (doc: DocumentDto) => void) {
  const [items, setItems] = useState<UploadItem[]>([])
  const handles = useRef(new Map<string, UploadHandle>())
  const patch = (key: string, p: Partial<UploadItem>) =>
    setItems((list) => list.map((i) => (i.key === key ? { ...i, ...p } : i)))

  // Start queued items whenever a slot is free.
  useEffect(() => {
    const running = items.filter((i) => i.state === 'uploading').length
    items
      .filter((i) => i.state === 'queued')
      .slice(0, Math.max(0, PARALLEL - running))
      .forEach((item) => {
        if (handles.current.has(item.key)) return
        patch(item.key, { state: 'uploading', progress: 0, error: null })
        const handle = uploadDocument(item.file, (progress) => patch(item.key, { progress }))
        handles.current.set(item.key, handle)
        handle.promise
          .then((doc) => {
            patch(item.key, { state: 'done', progress: 1 })
            onUploaded(doc)
            setTimeout(() => setItems((list) => list.filter((i) => i.key !== item.key)), DONE_VISIBLE_MS)
          })
          .catch((err) => {
            const duplicate = duplicateOf(err)
            if (duplicate) {
              patch(item.key, { state: 'duplicate', error: duplicate.message, existingId: duplicate.documentId, progress: 0 })
            }
            else {
              const failure = uploadFailure(err)
              patch(item.key, { state: 'failed', error: failure.message, retryable: failure.retryable, progress: 0 })
            }
          })
          .finally(() => handles.current.delete(item.key))
      })
  }, [items, onUploaded])

  useEffect(() => () => handles.current.forEach((h) => h.abort()), [])

  const add = useCallback((files: Iterable<File>) => {
    const fresh = [...files].map((file) => ({ key: newUuid(), file, progress: 0, state: 'queued' as const, error: null }))
    setItems((list) => [...list, ...fresh])
  }, [])

  const retry = (key: string) => patch(key, { state: 'queued', error: null, progress: 0 })
  const dismiss = (key: string) => {
    handles.current.get(key)?.abort()
    setItems((list) => list.filter((i) => i.key !== key))
  }

  return { items, add, retry, dismiss }
}
