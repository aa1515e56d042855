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

export const CLOSE_POLICY = 1008
export const CLOSE_TOO_BIG = 1009
/** The server is draining for a restart or deploy: reconnect soon (the balancer sends us to another replica). */
export const CLOSE_SERVICE_RESTART = 1012
export const CLOSE_TOKEN_EXPIRED = 4401
