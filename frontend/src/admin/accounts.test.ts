import { describe, expect, it } from 'vitest'
import type { Invitation, User } from '../api/types'
import { actionsFor, invitationLink, invitationStatusText, revokeLabel, userStatus } from './accounts'
import { href, parseRoute } from '../lib/router'

const user = (over: Partial<User> = {}): User => ({
  id: 'u1',
  email: 'a@example.com',
  created_at: '2026-01-01T00:00:00Z',
  role: 'member',
  disabled: false,
  ...over,
})

const invitation = (over: Partial<Invitation> = {}): Invitation => ({
  id: 'i1',
  status: 'pending',
  created_at: '2026-01-01T00:00:00Z',
  expires_at: '2026-01-08T00:00:00Z',
  email: null,
  used_at: null,
  used_by: null,
  ...over,
})

describe('admin page rules', () => {
  it('offers disable or enable, and delete, for members only', () => {
    expect(actionsFor(user())).toEqual(['disable', 'delete'])
    expect(actionsFor(user({ disabled: true }))).toEqual(['enable', 'delete'])
    expect(actionsFor(user({ role: 'admin' }))).toEqual([])
    expect(userStatus(user({ disabled: true }))).toBe('disabled')
  })

  it('builds a sign-up link that the router reads back with its code', () => {
    const link = invitationLink('a b/c', 'https://chat.example.org/')
    expect(link).toBe('https://chat.example.org/#/signup/a%20b%2Fc')
    expect(parseRoute(link.slice(link.indexOf('#')))).toEqual({ page: 'signup', code: 'a b/c' })
    expect(href({ page: 'signup', code: 'xyz' })).toBe('#/signup/xyz')
    expect(parseRoute('#/admin')).toEqual({ page: 'admin' })
  })

  it('names invitation states in plain words', () => {
    expect(invitationStatusText(invitation())).toBe('waiting')
    expect(invitationStatusText(invitation({ status: 'expired' }))).toBe('expired')
    expect(revokeLabel(invitation())).toBe('Revoke')
    expect(revokeLabel(invitation({ status: 'used' }))).toBe('Remove')
  })
})
