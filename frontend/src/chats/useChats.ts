/** The chat list and the operations on it (create, rename, pin, delete), and the server-side search over it. */
import { useCallback, useEffect, useRef, useState } from 'react'
import { chatsApi } from '../api/endpoints'
import { describeError } from '../api/errors'
import type { Chat } from '../api/types'
import { LocalEditLog } from '../lib/localEdits'
import { orderChats } from './chatOrder'

const SEARCH_DELAY_MS = 250

export function useChats() {
  const [chats, setChats] = useState<Chat[] | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [query, setQuery] = useState('')
  const [found, setFound] = useState<Chat[] | null>(null)
  const edits = useRef(new LocalEditLog<Chat>())

  const load = useCallback(async () => {
    const since = edits.current.mark()
    try {
      const fetched = await chatsApi.list()
      const merged = edits.current.over(fetched, since)
      setChats(merged === fetched ? fetched : orderChats(merged))
      setError(null)
    } catch (err) {
      setError(describeError(err))
    }
  }, [])

  useEffect(() => {
    void load()
  }, [load])

  // Titles are written in the background and chats change in other tabs: look again when this tab comes back.
  useEffect(() => {
    const again = () => document.visibilityState === 'visible' && void load()
    window.addEventListener('focus', again)
    document.addEventListener('visibilitychange', again)
    return () => {
      window.removeEventListener('focus', again)
      document.removeEventListener('visibilitychange', again)
    }
  }, [load])

  // The search runs on the server (titles and every message); a newer query cancels the one in flight.
  useEffect(() => {
    const q = query.trim()
    if (!q) return setFound(null)
    const abort = new AbortController()
    const timer = window.setTimeout(() => {
      chatsApi
        .list(q, abort.signal)
        .then((items) => {
          setFound(items)
          setError(null)
        })
        .catch((err) => abort.signal.aborted || setError(describeError(err)))
    }, SEARCH_DELAY_MS)
    return () => {
      window.clearTimeout(timer)
      abort.abort()
    }
  }, [query])

  const replace = useCallback((chat: Chat) => {
    const swap = (list: Chat[] | null) => list && list.map((c) => (c.id === chat.id ? chat : c))
    setChats((list) => orderChats(swap(list) ?? []))
    setFound((list) => list && orderChats(swap(list) ?? []))
  }, [])

  const create = useCallback(async () => {
    const chat = await chatsApi.create()
    edits.current.added(chat)
    setChats((list) => orderChats([chat, ...(list ?? [])]))
    return chat
  }, [])

  const rename = useCallback(
    async (id: string, title: string) => {
      replace(await chatsApi.update(id, { title }))
    },
    [replace],
  )

  const pin = useCallback(
    async (id: string, pinned: boolean) => {
      replace(await chatsApi.update(id, { pinned }))
    },
    [replace],
  )

  const remove = useCallback(async (id: string) => {
    await chatsApi.remove(id)
    edits.current.removed(id)
    setChats((list) => (list ?? []).filter((c) => c.id !== id))
    setFound((list) => list && list.filter((c) => c.id !== id))
  }, [])

  return { chats, error, load, create, rename, pin, remove, replace, query, setQuery, found }
}
