/**
 * Who is signed in, and the tokens that prove it.
 *
 * The access token lives only in memory. The refresh token is kept in `sessionStorage` so a reload of the tab
 * does not sign the person out: that storage is per tab and is cleared when the tab closes, so nothing
 * long-lived sits on disk the way `localStorage` would keep it. Script injection could read it, but such script
 * could act as the user in the page anyway; the API hands tokens out in JSON bodies, so an httpOnly cookie is
 * not an option here. Refresh tokens rotate: if a stolen one is used, ours stops working and we sign out.
 */
import { ApiError } from '../api/errors'
import { authApi } from '../api/endpoints'
import type { TokenProvider } from '../api/http'
import type { TokenPair, User } from '../api/types'

export type SessionState =
  | { status: 'restoring' }
  | { status: 'signed_out'; notice: string | null }
  | { status: 'signed_in'; user: User }

const REFRESH_KEY = 'ragchat.refresh_token'
const EARLY_MS = 30_000

function storage(): Storage | null {
  try {
    return typeof sessionStorage === 'undefined' ? null : sessionStorage
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

  get current(): SessionState {
    return this.state
  }

  subscribe(listener: (s: SessionState) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** On start: a refresh token from this tab's earlier life signs the person back in silently. */
  async restore(): Promise<void> {
    if (!storage()?.getItem(REFRESH_KEY)) return this.set({ status: 'signed_out', notice: null })
    try {
      await this.refresh()
      this.set({ status: 'signed_in', user: await authApi.me() })
    } catch (error) {
      if (this.state.status === 'restoring') {
        // Unreachable server: keep the refresh token so a later reload can still restore the session.
        const offline = error instanceof ApiError && error.code === 'network'
        if (!offline) this.clear()
        this.set({ status: 'signed_out', notice: offline ? 'Cannot reach the server to restore your session.' : null })
      }
    }
  }

  async signIn(email: string, password: string): Promise<void> {
    this.accept(await authApi.login(email, password))
    this.set({ status: 'signed_in', user: await authApi.me() })
  }

  async signUp(email: string, password: string): Promise<void> {
    await authApi.register(email, password)
    await this.signIn(email, password)
  }

  async signOut(notice: string | null = null): Promise<void> {
    const refreshToken = storage()?.getItem(REFRESH_KEY)
    this.clear()
    this.set({ status: 'signed_out', notice })
    if (refreshToken) await authApi.logout(refreshToken).catch(() => undefined)
  }

  async accessToken(force = false): Promise<string> {
    if (!force && this.access && Date.now() < this.expiresAt - 5_000) return this.access
    return this.refresh()
  }

  /** One refresh at a time: concurrent callers share it, since a rotated refresh token works only once. */
  private refresh(): Promise<string> {
    this.refreshing ??= this.doRefresh().finally(() => (this.refreshing = null))
    return this.refreshing
  }

  private async doRefresh(): Promise<string> {
    const refreshToken = storage()?.getItem(REFRESH_KEY) ?? null
    if (!refreshToken) throw this.ended()
    try {
      return this.accept(await authApi.refresh(refreshToken))
    } catch (error) {
      if (error instanceof ApiError && (error.status === 401 || error.status === 400)) throw this.ended()
      throw error
    }
  }

  private ended(): ApiError {
    const wasSignedIn = this.state.status === 'signed_in'
    this.clear()
    if (this.state.status !== 'signed_out') {
      this.set({ status: 'signed_out', notice: wasSignedIn ? 'Your session has ended. Please sign in again.' : null })
    }
    return new ApiError(401, { code: 'invalid_token', detail: 'Your session has ended. Please sign in again.' })
  }

  private accept(pair: TokenPair): string {
    this.access = pair.access_token
    this.expiresAt = Date.now() + pair.expires_in * 1000
    storage()?.setItem(REFRESH_KEY, pair.refresh_token)
    if (this.timer) clearTimeout(this.timer)
    // Refresh a little before expiry (or at 80% of a very short lifetime) so requests never wait on it.
    const lead = Math.min(EARLY_MS, pair.expires_in * 200)
    this.timer = setTimeout(() => void this.refresh().catch(() => undefined), pair.expires_in * 1000 - lead)
    return pair.access_token
  }

  private clear(): void {
    this.access = null
    this.expiresAt = 0
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    storage()?.removeItem(REFRESH_KEY)
  }

  private set(state: SessionState): void {
    this.state = state
    this.listeners.forEach((l) => l(state))
  }
}

export const session = new AuthSession()
