import { describe, expect, it } from 'vitest'
import { href, parseRoute } from './router'

describe('parseRoute', () => {
  it('reads the pages and a chat id', () => {
    expect(parseRoute('')).toEqual({ page: 'chats', chatId: null })
    expect(parseRoute('#/chats/a%20b')).toEqual({ page: 'chats', chatId: 'a b' })
    expect(parseRoute('#/signup/CODE')).toEqual({ page: 'signup', code: 'CODE' })
    expect(parseRoute('#/nowhere')).toEqual({ page: 'unknown' })
  })

  it('turns a malformed hash into the unknown page instead of throwing', () => {
    expect(parseRoute('#/chats/%E0%A4%A')).toEqual({ page: 'unknown' })
    expect(parseRoute('#/%')).toEqual({ page: 'unknown' })
  })

  it('round-trips what href writes', () => {
    const route = { page: 'chats', chatId: 'id/with%slash' } as const
    expect(parseRoute(href(route))).toEqual(route)
  })
})
