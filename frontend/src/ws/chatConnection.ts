/**
 * The client side of `/chat/ws`, free of any UI framework so it can be tested with a fake socket.
 *
 * It guarantees the UI sees every seq-carrying frame once and in order across drops: it remembers the highest
 * `seq` it handed over, ignores anything at or below it, and after every reconnect asks the server to `resume`
 * from there. Messages the server has not `accepted` yet stay in an outbox and are re-sent with the same
 * `client_msg_id`, which the server treats as idempotent. A `snapshot` whose epoch differs from the known one
 * means the server lost its delivery log: the UI reloads history over HTTP (`onResync`) and continues from the
 * snapshot's `last_seq`.
 */
import type { Stage } from '../api/types'
import { newUuid } from '../lib/ids'
import { DEFAULT_BACKOFF, backoffDelay } from './backoff'
import {
  CLOSE_AUTH_TIMEOUT,
  CLOSE_FORBIDDEN,
  CLOSE_POLICY,
  CLOSE_SERVICE_RESTART,
  CLOSE_TOO_BIG,
  CLOSE_TOO_MANY_SOCKETS,
  CLOSE_UNAUTHORIZED,
  type ChatConnectionOptions,
  type ConnectionState,
  type ConnectionStatus,
  type SocketLike,
} from './connectionTypes'
import {
  parseServerFrame,
  type ClientFrame,
  type ErrorFrame,
  type QuestionFrame,
  type SeqFrame,
  type SnapshotFrame,
} from './frames'
import { browserNetwork } from './network'
import { Timers } from './timers'

export * from './connectionTypes'

const OPEN = 1

type Phase = 'idle' | 'opening' | 'authenticating' | 'syncing' | 'live'

export class ChatConnection {
  private readonly o: Required<Omit<ChatConnectionOptions, 'onStatus' | 'onResync' | 'onMessageRejected'>> &
    ChatConnectionOptions
  private socket: SocketLike | null = null
  private generation = 0
  /** Counts history reloads, so only the newest of overlapping ones lets held frames through. */
  private reloads = 0
  private phase: Phase = 'idle'
  private epoch: string | null = null
  private seq = 0
  private ackedSeq = 0
  /** Questions not yet `accepted` (messages, edits, regenerates), by `client_msg_id`, in the order asked. */
  private readonly outbox = new Map<string, QuestionFrame>()
  private lastSentMessage: string | null = null
  private held: (SeqFrame | ErrorFrame)[] = []
  private attempt = 0
  private refreshNext = false
  private policyRetried = false
  private authRetried = false
  private disposed = false
  private started = false
  private offline = false
  private status: ConnectionStatus = { state: 'connecting', attempt: 0, retryAt: null, detail: null }
  private readonly timers = new Timers<'reconnect' | 'ack' | 'pong'>()
  private pingTimer: ReturnType<typeof setInterval> | null = null
  private unsubscribeNetwork: () => void = () => {}

  constructor(options: ChatConnectionOptions) {
    this.o = {
      createSocket: (url) => new WebSocket(url) as unknown as SocketLike,
      network: browserNetwork,
      backoff: DEFAULT_BACKOFF,
      random: Math.random,
      ackDelayMs: 300,
      ackEvery: 32,
      pingIntervalMs: 15_000,
      pongTimeoutMs: 10_000,
      ...options,
    }
  }

  get lastSeq(): number {
    return this.seq
  }
  get knownEpoch(): string | null {
    return this.epoch
  }
  get pending(): string[] {
    return [...this.outbox.keys()]
  }
  get currentStatus(): ConnectionStatus {
    return this.status
  }

  start(): void {
    if (this.started || this.disposed) return
    this.started = true
    this.unsubscribeNetwork = this.o.network.subscribe((online) => this.onNetwork(online))
    if (this.o.network.isOnline()) void this.connect()
    else this.goOffline()
  }

  /** Queues a user message; it is (re-)sent until the server answers `accepted` or an `error` naming it. */
  send(text: string, clientMsgId: string = newUuid()): string {
    return this.ask({ type: 'message', client_msg_id: clientMsgId, text })
  }

  /** Replaces the question `messageId` by `text` (and drops what followed it); re-sent like a message. */
  edit(messageId: string, text: string, clientMsgId: string = newUuid()): string {
    return this.ask({ type: 'edit', client_msg_id: clientMsgId, message_id: messageId, text })
  }

  /** Answers the last question `messageId` again; re-sent like a message. */
  regenerate(messageId: string, clientMsgId: string = newUuid()): string {
    return this.ask({ type: 'regenerate', client_msg_id: clientMsgId, message_id: messageId })
  }

  private ask(frame: QuestionFrame): string {
    this.outbox.set(frame.client_msg_id, frame)
    if (this.phase === 'live') this.sendQuestion(frame)
    return frame.client_msg_id
  }

  /** Asks the server to stop the current answer; false when not connected. */
  stop(): boolean {
    return this.phase === 'live' && this.sendFrame({ type: 'stop' })
  }

  setStage(stage: Stage): boolean {
    return this.phase === 'live' && this.sendFrame({ type: 'set_stage', stage })
  }

  /** Skips the backoff wait (a "reconnect now" button, or after a failure the user has fixed). */
  reconnectNow(): void {
    if (this.disposed || this.offline) return
    this.attempt = 0
    this.policyRetried = false
    this.authRetried = false
    void this.connect()
  }

  dispose(): void {
    if (this.disposed) return
    this.flushAck()
    this.disposed = true
    this.unsubscribeNetwork()
    this.detachSocket(1000, 'bye')
    this.timers.clear('reconnect')
    this.setStatus('closed')
  }

  private async connect(): Promise<void> {
    this.timers.clear('reconnect')
    this.detachSocket(4000, 'reconnecting')
    const generation = ++this.generation
    this.phase = 'opening'
    this.setStatus('connecting')
    let token: string
    try {
      token = await this.o.getToken(this.refreshNext)
      this.refreshNext = false
    } catch (error) {
      if (generation === this.generation && !this.disposed) this.scheduleReconnect(describe(error))
      return
    }
    if (generation !== this.generation || this.disposed) return
    const socket = this.o.createSocket(this.o.url)
    this.socket = socket
    const current = () => generation === this.generation && !this.disposed
    socket.onopen = () => {
      if (!current()) return
      this.phase = 'authenticating'
      this.sendFrame({ type: 'auth', token })
    }
    socket.onmessage = (ev) => current() && this.receive(ev.data)
    socket.onclose = (ev) => current() && this.closed(ev.code)
    socket.onerror = () => {}
  }

  private receive(data: unknown): void {
    const frame = parseServerFrame(data)
    if (!frame) return
    this.timers.clear('pong')
    if (frame.type === 'pong') return
    if (frame.type === 'snapshot') {
      void this.synced(frame)
      return
    }
    if (this.phase === 'syncing') this.held.push(frame)
    else this.deliver(frame)
  }

  /**
   * Runs for the snapshot after `auth` and for any later one (`reload_history`: what this socket missed is gone).
   * Frames wait in `held` until the newest history reload is done, so none lands on a half-loaded transcript.
   */
  private async synced(snapshot: SnapshotFrame): Promise<void> {
    const generation = this.generation
    const sameLog = this.epoch === snapshot.epoch && snapshot.last_seq >= this.seq && !snapshot.reload_history
    if (!sameLog) {
      const run = ++this.reloads
      const initial = this.epoch === null
      // Join (docs/websocket.md): resume from `join_seq`, so an answer being written arrives from its first token.
      const join = Math.min(snapshot.join_seq ?? snapshot.last_seq, snapshot.last_seq)
      this.epoch = snapshot.epoch
      this.seq = join
      this.ackedSeq = join
      this.phase = 'syncing'
      this.sendFrame({ type: 'resume', after_seq: this.seq })
      try {
        await this.o.onResync?.({ epoch: snapshot.epoch, lastSeq: snapshot.last_seq, initial })
      } catch {
        // History could not be reloaded; live frames are still worth showing.
      }
      if (generation !== this.generation || this.disposed || run !== this.reloads) return
    } else {
      this.sendFrame({ type: 'resume', after_seq: this.seq })
      if (this.phase === 'syncing') return // the reload in flight goes live when it is done
    }
    this.phase = 'live'
    this.attempt = 0
    this.policyRetried = false
    this.authRetried = false
    this.setStatus('open')
    const held = this.held
    this.held = []
    held.forEach((f) => this.deliver(f))
    this.outbox.forEach((frame) => this.sendQuestion(frame))
    this.startHeartbeat()
  }

  private deliver(frame: SeqFrame | ErrorFrame): void {
    // seq 0 marks frames outside the chat's log (errors about this socket's own input): never deduplicated.
    if (typeof frame.seq === 'number' && frame.seq > 0) {
      if (frame.seq <= this.seq) return
      this.seq = frame.seq
    }
    if (frame.type === 'accepted') this.outbox.delete(frame.client_msg_id)
    else if (frame.type === 'error' && frame.client_msg_id) this.outbox.delete(frame.client_msg_id)
    this.o.onFrame(frame)
    if (frame.type === 'answer_done') this.flushAck()
    else this.scheduleAck()
  }

  private scheduleAck(): void {
    if (this.seq - this.ackedSeq >= this.o.ackEvery) this.flushAck()
    else if (this.seq > this.ackedSeq && !this.timers.has('ack')) this.timers.set('ack', this.o.ackDelayMs, () => this.flushAck())
  }

  private flushAck(): void {
    this.timers.clear('ack')
    if (this.phase !== 'live' || this.seq <= this.ackedSeq) return
    if (this.sendFrame({ type: 'ack', seq: this.seq })) this.ackedSeq = this.seq
  }

  private startHeartbeat(): void {
    this.stopHeartbeat()
    this.pingTimer = setInterval(() => {
      if (!this.sendFrame({ type: 'ping' })) return
      if (!this.timers.has('pong')) this.timers.set('pong', this.o.pongTimeoutMs, () => this.dropSocket('no answer to ping'))
    }, this.o.pingIntervalMs)
  }

  private stopHeartbeat(): void {
    if (this.pingTimer !== null) clearInterval(this.pingTimer)
    this.pingTimer = null
    this.timers.clear('pong')
  }

  private closed(code: number): void {
    this.socket = null
    this.resetSession()
    switch (code) {
      case CLOSE_UNAUTHORIZED:
        if (this.authRetried) {
          this.setStatus('failed', 'Your session has ended. Sign in again to keep chatting.', null, code)
          return
        }
        this.authRetried = true // reset once a socket goes live: a later expiry refreshes again
        this.refreshNext = true
        this.scheduleReconnect('session token expired', this.attempt === 0)
        return
      case CLOSE_FORBIDDEN:
        this.setStatus('failed', 'This chat does not exist or is not yours.', null, code)
        return
      case CLOSE_SERVICE_RESTART:
        this.attempt = 0 // not a failure: the first, short and jittered, backoff step, never a long one
        this.scheduleReconnect('the server restarted; reconnecting')
        return
      case CLOSE_TOO_MANY_SOCKETS:
        this.scheduleReconnect('Too many chats are open for this account; close some tabs. Retrying…')
        return
      case CLOSE_AUTH_TIMEOUT:
        this.scheduleReconnect('signing in to the chat took too long; reconnecting')
        return
      case CLOSE_POLICY:
        if (this.policyRetried) {
          this.setStatus('failed', 'The server refused access to this chat.', null, code)
          return
        }
        this.policyRetried = true
        this.refreshNext = true
        this.scheduleReconnect('refused by the server', true)
        return
      default:
        if (code === CLOSE_TOO_BIG && this.lastSentMessage && this.outbox.delete(this.lastSentMessage)) {
          this.o.onMessageRejected?.(this.lastSentMessage, 'The message is too large to send.')
        }
        this.scheduleReconnect(`connection closed (${code})`)
    }
  }

  private dropSocket(reason: string): void {
    this.detachSocket(4000, reason)
    this.scheduleReconnect(reason)
  }

  private onNetwork(online: boolean): void {
    if (this.disposed) return
    if (!online) {
      this.detachSocket(4000, 'offline')
      this.goOffline()
    } else if (this.offline) {
      this.offline = false
      this.attempt = 0
      void this.connect()
    }
  }

  private goOffline(): void {
    this.offline = true
    this.timers.clear('reconnect')
    this.setStatus('offline', 'Your device is offline.')
  }

  private scheduleReconnect(detail: string, immediately = false): void {
    if (this.disposed) return
    if (this.offline || !this.o.network.isOnline()) return this.goOffline()
    this.attempt += 1
    const delay = immediately ? 0 : backoffDelay(this.attempt, this.o.backoff, this.o.random)
    this.timers.set('reconnect', delay, () => void this.connect())
    this.setStatus('reconnecting', detail, Date.now() + delay)
  }

  /** Forgets the current socket without letting its late events reach us. */
  private detachSocket(code: number, reason: string): void {
    const socket = this.socket
    this.generation += 1
    this.socket = null
    this.resetSession()
    if (!socket) return
    socket.onopen = socket.onmessage = socket.onclose = socket.onerror = null
    try {
      socket.close(code, reason)
    } catch {
      // already closed
    }
  }

  private resetSession(): void {
    this.phase = 'idle'
    this.held = []
    this.stopHeartbeat()
    this.timers.clear('ack')
  }

  private sendQuestion(frame: QuestionFrame): void {
    if (this.sendFrame(frame)) this.lastSentMessage = frame.client_msg_id
  }

  private sendFrame(frame: ClientFrame): boolean {
    const socket = this.socket
    if (!socket || socket.readyState !== OPEN) return false
    try {
      socket.send(JSON.stringify(frame))
      return true
    } catch {
      return false
    }
  }

  private setStatus(state: ConnectionState, detail: string | null = null, retryAt: number | null = null,
    closeCode?: number): void {
    this.status = { state, attempt: this.attempt, retryAt, detail, ...(closeCode === undefined ? {} : { closeCode }) }
    this.o.onStatus?.(this.status)
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : 'could not connect'
}
