/** Sign in and sign up: one form, two modes (`#/signin`, `#/signup`), a clear message for every failure. */
import { useState, type FormEvent } from 'react'
import { ApiError, describeError } from '../api/errors'
import { session } from '../auth/session'
import { Alert } from '../components/Alert'
import { PageHeading } from '../components/PageHeading'

const MIN_PASSWORD = 8

export function AuthPage({ mode, notice }: { mode: 'signin' | 'signup'; notice: string | null }) {
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({})
  const signup = mode === 'signup'

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    setError(null)
    setFieldErrors({})
    if (signup && password.length < MIN_PASSWORD) {
      setFieldErrors({ password: `Use at least ${MIN_PASSWORD} characters.` })
      return
    }
    setBusy(true)
    try {
      if (signup) await session.signUp(email, password)
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
        {error && <Alert testId="auth-error">{error}</Alert>}
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
              minLength={signup ? MIN_PASSWORD : undefined}
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              aria-invalid={Boolean(fieldErrors.password)}
              aria-describedby={fieldErrors.password ? 'auth-password-error' : signup ? 'auth-password-hint' : undefined}
            />
            {fieldErrors.password ? (
              <p className="field-error" id="auth-password-error">{fieldErrors.password}</p>
            ) : (
              signup && <p className="field-hint" id="auth-password-hint">At least {MIN_PASSWORD} characters.</p>
            )}
          </div>
          <button type="submit" className="button button-primary button-block" data-testid="auth-submit" disabled={busy}>
            {busy ? (signup ? 'Creating account…' : 'Signing in…') : signup ? 'Create account' : 'Sign in'}
          </button>
        </form>
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
