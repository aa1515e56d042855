/** The chat list's order, as the server gives it: pinned chats first, then the most recently updated. */
import type { Chat } from '../api/types'

export function orderChats(chats: Chat[]): Chat[] {
  return [...chats].sort(
    (a, b) =>
      Number(Boolean(b.pinned)) - Number(Boolean(a.pinned)) ||
      b.updated_at.localeCompare(a.updated_at) ||
      b.created_at.localeCompare(a.created_at),
  )
}
