/**
 * Who is signed in, and the tokens that prove it.
 *
 * One sign-in per browser: the refresh token lives in an HttpOnly, SameSite=Strict cookie scoped to `/auth`
 * (set by the server when we sign in with `X-Ragchat-Session: cookie`), so no script can read it and every tab
 * shares it. The access token lives only in this tab's memory; a new tab or a reload gets one by refreshing
 * silently. Refresh tokens rotate and a reused one ends the session, so tabs take turns refreshing (a Web Lock
 * across the browser's tabs): each then sends the newest cookie. Signing in or out in one tab tells the others.
 */
import { ApiError } from '../api/errors'
import { authApi } from '../api/endpoints'
import type { TokenProvider } from '../api/http'
import type { AccessGrant, User } from '../api/types'

export type SessionState =
  | { status: 'restoring' }
  | { status: 'signed_out'; notice: string | null }
  | { status: 'signed_in'; user: User }

const EARLY_MS = 30_000
const LOCK_NAME = 'ragchat.refresh'
const CHANNEL_NAME = 'ragchat.session'

type SessionMessage = { type: 'signed_in' } | { type: 'signed_out' }

/** Runs `task` while holding the browser-wide refresh lock, where the Web Locks API exists. */
async function exclusively<T>(task: () => Promise<T>): Promise<T> {
  const locks = typeof navigator === 'undefined' ? undefined : navigator.locks
  if (!locks) return task()
  return (await locks.request(LOCK_NAME, task)) as T
}

function channel(): BroadcastChannel | null {
  try {
    return typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(CHANNEL_NAME)
  } catch {
    return null
  }
}

export class AuthSession implements TokenProvider {
  private state: SessionState = { status: 'restoring' }
  private listeners = new Set<(s: SessionState) => void>()
  private access: string | null = null
  private expiresAt = 0
  private refreshing: Promise<string> | null = null
  private timer: ReturnType<typeof setTimeout> | null = null
  private readonly tabs = channel()

  constructor() {
    if (this.tabs) this.tabs.onmessage = (event: MessageEvent<SessionMessage>) => this.fromOtherTab(event.data)
  }

  get current(): SessionState {
    return this.state
  }

  subscribe(listener: (s: SessionState) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** On start: the browser's session cookie (from any tab) signs the person in silently. */
  async restore(): Promise<void> {
    try {
      await this.refresh()
      this.set({ status: 'signed_in', user: await authApi.me() })
    } catch (error) {
      if (this.state.status === 'restoring') {
        const offline = error instanceof ApiError && error.code === 'network'
        this.clear()
        this.set({ status: 'signed_out', notice: offline ? 'Cannot reach the server to restore your session.' : null })
      }
    }
  }

  async signIn(email: string, password: string): Promise<void> {
    this.accept(await authApi.login(email, password))
    this.set({ status: 'signed_in', user: await authApi.me() })
    this.tabs?.postMessage({ type: 'signed_in' } satisfies SessionMessage)
  }

  async signUp(email: string, password: string, inviteCode?: string): Promise<void> {
    await authApi.register(email, password, inviteCode)
    await this.signIn(email, password)
  }

  async signOut(notice: string | null = null): Promise<void> {
    this.clear()
    this.set({ status: 'signed_out', notice })
    await authApi.logout().catch(() => undefined)
    this.tabs?.postMessage({ type: 'signed_out' } satisfies SessionMessage)
  }

  async accessToken(force = false): Promise<string> {
    if (!force && this.access && Date.now() < this.expiresAt - 5_000) return this.access
    return this.refresh()
  }

  private fromOtherTab(message: SessionMessage): void {
    if (message.type === 'signed_out' && this.state.status === 'signed_in') {
      this.clear()
      this.set({ status: 'signed_out', notice: null })
    } else if (message.type === 'signed_in' && this.state.status === 'signed_out') {
      this.set({ status: 'restoring' })
      void this.restore()
    }
  }

  /** One refresh at a time in this tab: concurrent callers share it. */
  private refresh(): Promise<string> {
    this.refreshing ??= this.doRefresh().finally(() => (this.refreshing = null))
    return this.refreshing
  }

  private async doRefresh(): Promise<string> {
    try {
      return this.accept(await exclusively(() => authApi.refresh()))
    } catch (error) {
      if (error instanceof ApiError && [400, 401, 403].includes(error.status)) throw this.ended()
      throw error
    }
  }

  private ended(): ApiError {
    const wasSignedIn = this.state.status === 'signed_in'
    this.clear()
    if (this.state.status === 'signed_in') {
      this.set({ status: 'signed_out', notice: wasSignedIn ? 'Your session has ended. Please sign in again.' : null })
    }
    return new ApiError(401, { code: 'invalid_token', detail: 'Your session has ended. Please sign in again.' })
  }

  private accept(grant: AccessGrant): string {
    this.access = grant.access_token
    this.expiresAt = Date.now() + grant.expires_in * 1000
    if (this.timer) clearTimeout(this.timer)
    // Refresh a little before expiry (or at 80% of a very short lifetime) so requests never wait on it.
    const lead = Math.min(EARLY_MS, grant.expires_in * 200)
    this.timer = setTimeout(() => void this.refresh().catch(() => undefined), grant.expires_in * 1000 - lead)
    return grant.access_token
  }

  private clear(): void {
    this.access = null
    this.expiresAt = 0
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
  }

  private set(state: SessionState): void {
    this.state = state
    this.listeners.forEach((l) => l(state))
  }
}

export const session = new AuthSession()
