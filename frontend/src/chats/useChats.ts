/** The chat list and the operations on it (create, rename, change stage, delete). */
import { useCallback, useEffect, useState } from 'react'
import { chatsApi } from '../api/endpoints'
import { describeError } from '../api/errors'
import type { Chat } from '../api/types'

export function useChats() {
  const [chats, setChats] = useState<Chat[] | null>(null)
  const [error, setError] = useState<string | null>(null)

  const load = useCallback(async () => {
    try {
      setChats(await chatsApi.list())
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

  const replace = useCallback((chat: Chat) => {
    setChats((list) => (list ?? []).map((c) => (c.id === chat.id ? chat : c)))
  }, [])

  const create = useCallback(async () => {
    const chat = await chatsApi.create()
    setChats((list) => [chat, ...(list ?? [])])
    return chat
  }, [])

  const rename = useCallback(
    async (id: string, title: string) => {
      replace(await chatsApi.update(id, { title }))
    },
    [replace],
  )

  const remove = useCallback(async (id: string) => {
    await chatsApi.remove(id)
    setChats((list) => (list ?? []).filter((c) => c.id !== id))
  }, [])

  return { chats, error, load, create, rename, remove, replace }
}
