/** The public shapes of `ChatConnection`: its status, options and the socket it needs. */
import type { BackoffPolicy } from './backoff'
import type { ErrorFrame, SeqFrame } from './frames'
import type { NetworkSignal } from './network'

export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'offline' | 'failed' | 'closed'

export interface ConnectionStatus {
  state: ConnectionState
  /** Failed attempts since the last successful sync. */
  attempt: number
  /** When the next attempt starts (epoch ms), while `reconnecting`. */
  retryAt: number | null
  detail: string | null
  /** With `failed`: the close code that ended it, for the UI to key on (never the text). */
  closeCode?: number
}

/** The part of the browser `WebSocket` this module uses. */
export interface SocketLike {
  readonly readyState: number
  send(data: string): void
  close(code?: number, reason?: string): void
  onopen: ((ev: unknown) => void) | null
  onmessage: ((ev: { data: unknown }) => void) | null
  onclose: ((ev: { code: number; reason: string }) => void) | null
  onerror: ((ev: unknown) => void) | null
}

export interface ResyncInfo {
  epoch: string
  lastSeq: number
  /** True on the first sync of this connection object, false when the server's epoch changed. */
  initial: boolean
}

export interface ChatConnectionOptions {
  url: string
  /** The current access token; `forceRefresh` after the server closed with 4401 (token expired). */
  getToken(forceRefresh: boolean): Promise<string>
  onFrame(frame: SeqFrame | ErrorFrame): void
  onStatus?(status: ConnectionStatus): void
  /** Reload history over HTTP; frames arriving meanwhile are held back and delivered afterwards. */
  onResync?(info: ResyncInfo): Promise<void> | void
  /** A queued message the server can never take (it closed with 1009, too big). */
  onMessageRejected?(clientMsgId: string, reason: string): void
  createSocket?: (url: string) => SocketLike
  network?: NetworkSignal
  backoff?: BackoffPolicy
  random?: () => number
  ackDelayMs?: number
  ackEvery?: number
  pingIntervalMs?: number
  pongTimeoutMs?: number
}

/* Close codes the server uses (docs/websocket.md). The client acts on the code, never on the reason text. */
/** Generic refusal, from servers that predate the specific codes below. */
export const CLOSE_POLICY = 1008
export const CLOSE_TOO_BIG = 1009
/** The server is draining for a restart or deploy: reconnect soon (the balancer sends us to another replica). */
export const CLOSE_SERVICE_RESTART = 1012
/** No valid access token (expired, also mid-session; or the account is gone): refresh it and reconnect. */
export const CLOSE_UNAUTHORIZED = 4401
/** The chat does not exist for this user (missing or someone else's): retrying cannot help. */
export const CLOSE_FORBIDDEN = 4403
/** The server did not receive the auth frame in time. */
export const CLOSE_AUTH_TIMEOUT = 4408
/** This account has too many chat sockets open on the server. */
export const CLOSE_TOO_MANY_SOCKETS = 4429
