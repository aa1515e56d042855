import { describe, expect, it } from 'vitest'
import type { Chat } from '../api/types'
import { orderChats } from './chatOrder'

const chat = (id: string, updated: string, pinned = false): Chat => ({
  id,
  title: id,
  stage: 'answering',
  created_at: '2026-01-01T00:00:00Z',
  updated_at: updated,
  pinned,
  scope: { document_ids: [], tags: [] }, settings: { instructions: '', model: null, temperature: null },
})

describe('orderChats', () => {
  it('puts pinned chats first, each group newest first', () => {
    const list = [chat('old', '2026-01-01T00:00:00Z'), chat('new', '2026-03-01T00:00:00Z'), chat('pin', '2025-01-01T00:00:00Z', true)]
    expect(orderChats(list).map((c) => c.id)).toEqual(['pin', 'new', 'old'])
  })
})
