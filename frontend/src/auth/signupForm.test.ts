import { describe, expect, it } from 'vitest'
import { DEFAULT_SIGNUP, passwordHint, signupNotice, signupProblems } from './signupForm'

describe('sign-up form rules', () => {
  it('asks for the server’s minimum password length', () => {
    expect(signupProblems({ password: 'short pass', inviteCode: '' }, DEFAULT_SIGNUP)).toEqual({})
    expect(signupProblems({ password: 'nine char', inviteCode: '' }, DEFAULT_SIGNUP)).toEqual({
      password: 'Use at least 10 characters.',
    })
    expect(signupProblems({ password: 'x'.repeat(11), inviteCode: '' }, { mode: 'open', min_password_length: 12 }))
      .toHaveProperty('password', 'Use at least 12 characters.')
    expect(passwordHint(DEFAULT_SIGNUP)).toBe('At least 10 characters, and not a common password.')
  })

  it('wants an invitation code only on an invite-only server', () => {
    const invite = { mode: 'invite' as const, min_password_length: 10 }
    expect(signupProblems({ password: 'correct horse', inviteCode: '  ' }, invite)).toEqual({
      invite_code: 'Enter the invitation code you were given.',
    })
    expect(signupProblems({ password: 'correct horse', inviteCode: 'abc' }, invite)).toEqual({})
    expect(signupProblems({ password: 'correct horse', inviteCode: '' }, DEFAULT_SIGNUP)).toEqual({})
  })

  it('says who may sign up', () => {
    expect(signupNotice('open')).toBeNull()
    expect(signupNotice('invite')).toContain('invitation-only')
    expect(signupNotice('closed')).toContain('Sign-up is closed')
  })
})
