/**
 * Sign in and sign up: one form, two modes (`#/signin`, `#/signup`, `#/signup/<invitation code>`), a clear
 * message for every failure. Sign-up asks the server who may join (open, invitation code, or closed).
 */
import { useEffect, useState, type FormEvent } from 'react'
import { authApi } from '../api/endpoints'
import { ApiError, describeError } from '../api/errors'
import type { SignupInfo } from '../api/types'
import { session } from '../auth/session'
import { DEFAULT_SIGNUP, passwordHint, signupNotice, signupProblems } from '../auth/signupForm'
import { Alert } from '../components/Alert'
import { PageHeading } from '../components/PageHeading'

export function AuthPage({ mode, notice, code }: { mode: 'signin' | 'signup'; notice: string | null; code?: string }) {
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const [inviteCode, setInviteCode] = useState(code ?? '')
  const [info, setInfo] = useState<SignupInfo>(DEFAULT_SIGNUP)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({})
  const signup = mode === 'signup'
  const closed = signup && info.mode === 'closed'
  const modeNotice = signup ? signupNotice(info.mode) : null

  useEffect(() => {
    if (!signup) return
    let live = true
    authApi
      .signupInfo()
      .then((answer) => live && setInfo(answer))
      .catch(() => undefined) // an older server: keep the defaults, it still enforces its own policy
    return () => {
      live = false
    }
  }, [signup])

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    setError(null)
    setFieldErrors({})
    const problems = signup ? signupProblems({ password, inviteCode }, info) : {}
    if (Object.keys(problems).length > 0) {
      setFieldErrors(problems)
      return
    }
    setBusy(true)
    try {
      if (signup) await session.signUp(email, password, inviteCode.trim() || undefined)
      else await session.signIn(email, password)
    } catch (err) {
      setError(describeError(err))
      if (err instanceof ApiError) setFieldErrors(err.fieldErrors)
      setBusy(false)
    }
  }

  return (
    <main className="auth-page" id="main">
      <div className="auth-card">
        <p className="brand brand-large" aria-hidden="true">
          <span className="brand-mark">◆</span> ragchat
        </p>
        <PageHeading>{signup ? 'Welcome to ragchat' : 'Sign in to ragchat'}</PageHeading>
        <p className="muted">
          {signup
            ? 'Create your account, upload your documents and ask questions about them. Every answer names its sources.'
            : 'Ask questions about your documents and get answers with sources.'}
        </p>
        {notice && !error && <Alert kind="info">{notice}</Alert>}
        {modeNotice && !error && (
          <Alert kind="info" testId="signup-mode">
            {modeNotice}
          </Alert>
        )}
        {error && <Alert testId="auth-error">{error}</Alert>}
        {!closed && (
        <form onSubmit={submit} data-testid={signup ? 'signup-form' : 'signin-form'}>
          <div className="field">
            <label htmlFor="auth-email">Email</label>
            <input
              id="auth-email"
              data-testid="auth-email"
              type="email"
              autoComplete="email"
              required
              value={email}
              onChange={(e) => setEmail(e.target.value)}
              aria-invalid={Boolean(fieldErrors.email)}
              aria-describedby={fieldErrors.email ? 'auth-email-error' : undefined}
            />
            {fieldErrors.email && <p className="field-error" id="auth-email-error">{fieldErrors.email}</p>}
          </div>
          <div className="field">
            <label htmlFor="auth-password">Password</label>
            <input
              id="auth-password"
              data-testid="auth-password"
              type="password"
              autoComplete={signup ? 'new-password' : 'current-password'}
              required
              minLength={signup ? info.min_password_length : undefined}
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              aria-invalid={Boolean(fieldErrors.password)}
              aria-describedby={fieldErrors.password ? 'auth-password-error' : signup ? 'auth-password-hint' : undefined}
            />
            {fieldErrors.password ? (
              <p className="field-error" id="auth-password-error">{fieldErrors.password}</p>
            ) : (
              signup && <p className="field-hint" id="auth-password-hint">{passwordHint(info)}</p>
            )}
          </div>
          {signup && (info.mode === 'invite' || code) && (
            <div className="field">
              <label htmlFor="auth-invite">Invitation code</label>
              <input
                id="auth-invite"
                data-testid="auth-invite"
                type="text"
                autoComplete="off"
                spellCheck={false}
                required={info.mode === 'invite'}
                value={inviteCode}
                onChange={(e) => setInviteCode(e.target.value)}
                aria-invalid={Boolean(fieldErrors.invite_code)}
                aria-describedby={fieldErrors.invite_code ? 'auth-invite-error' : undefined}
              />
              {fieldErrors.invite_code && <p className="field-error" id="auth-invite-error">{fieldErrors.invite_code}</p>}
            </div>
          )}
          <button type="submit" className="button button-primary button-block" data-testid="auth-submit" disabled={busy}>
            {busy ? (signup ? 'Creating account…' : 'Signing in…') : signup ? 'Create account' : 'Sign in'}
          </button>
        </form>
        )}
        <p className="auth-switch">
          {signup ? 'Already have an account? ' : 'New here? '}
          <a href={signup ? '#/signin' : '#/signup'} data-testid="auth-switch">
            {signup ? 'Sign in' : 'Create an account'}
          </a>
        </p>
      </div>
    </main>
  )
}
