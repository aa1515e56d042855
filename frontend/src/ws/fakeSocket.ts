/** Test double for the browser WebSocket: records what the client sends and lets a test play the server. */
import type { SocketLike } from './chatConnection'
import type { NetworkSignal } from './network'

export class FakeSocket implements SocketLike {
  readyState = 0
  readonly sent: Record<string, unknown>[] = []
  closedWith: { code?: number; reason?: string } | null = null
  /** Lets a fake server react to what the client sends. */
  onSend: ((frame: Record<string, unknown>) => void) | null = null
  onopen: ((ev: unknown) => void) | null = null
  onmessage: ((ev: { data: unknown }) => void) | null = null
  onclose: ((ev: { code: number; reason: string }) => void) | null = null
  onerror: ((ev: unknown) => void) | null = null

  constructor(readonly url: string) {}

  send(data: string): void {
    if (this.readyState !== 1) throw new Error('socket is not open')
    const frame = JSON.parse(data) as Record<string, unknown>
    this.sent.push(frame)
    this.onSend?.(frame)
  }

  close(code?: number, reason?: string): void {
    this.closedWith = { code, reason }
    this.readyState = 3
  }

  /** Server side: the handshake completed. */
  open(): void {
    this.readyState = 1
    this.onopen?.({})
  }

  /** Server side: push one frame (objects are JSON-encoded, strings sent as they are). */
  push(frame: object | string): void {
    this.onmessage?.({ data: typeof frame === 'string' ? frame : JSON.stringify(frame) })
  }

  /** Server side (or network): the connection ended. */
  drop(code = 1006, reason = ''): void {
    this.readyState = 3
    this.onclose?.({ code, reason })
  }

  sentOfType(type: string): Record<string, unknown>[] {
    return this.sent.filter((f) => f.type === type)
  }
}

export class FakeNetwork implements NetworkSignal {
  online = true
  private listeners = new Set<(online: boolean) => void>()

  isOnline(): boolean {
    return this.online
  }

  subscribe(listener: (online: boolean) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  set(online: boolean): void {
    this.online = online
    this.listeners.forEach((l) => l(online))
  }
}
