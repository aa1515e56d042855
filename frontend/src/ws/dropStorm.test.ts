/**
 * The client against a fake server that behaves like the real delivery manager (a per-chat log with seq,
 * replay on resume, idempotent client_msg_id), with the connection dropped at random points for 200 turns.
 * Every answer must arrive complete, with no frame lost or repeated.
 */
import { afterEach, beforeEach, expect, it, vi } from 'vitest'
import { ChatConnection } from './chatConnection'
import type { SeqFrame } from './frames'
import { FakeSocket } from './fakeSocket'

/** A small deterministic PRNG (mulberry32) so a failure can be replayed. */
function prng(seed: number): () => number {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const answerFor = (turn: number) => Array.from({ length: 3 + (turn % 5) }, (_, k) => `w${turn}.${k} `)

class FakeChatServer {
  readonly log: SeqFrame[] = []
  private socket: FakeSocket | null = null
  private live = false
  private readonly accepted = new Map<string, string>()
  turnsStarted = 0

  constructor(private readonly random: () => number) {}

  attach(socket: FakeSocket): void {
    this.socket = socket
    this.live = false
    socket.onSend = (frame) => setTimeout(() => socket === this.socket && this.handle(frame), 0)
    setTimeout(() => socket.open(), 1)
  }

  drop(): void {
    const socket = this.socket
    this.socket = null
    this.live = false
    socket?.drop(1006)
  }

  private handle(frame: Record<string, unknown>): void {
    const socket = this.socket!
    if (frame.type === 'auth') socket.push({ type: 'snapshot', epoch: 'e1', last_seq: this.log.length })
    if (frame.type === 'resume') {
      // Sometimes replay a little too much: the client must drop what it already has.
      const from = Math.max(0, (frame.after_seq as number) - (this.random() < 0.3 ? 2 : 0))
      this.log.slice(from).forEach((f) => socket.push(f))
      this.live = true
    }
    if (frame.type === 'message') this.message(frame.client_msg_id as string, frame.text as string)
  }

  private message(clientMsgId: string, text: string): void {
    const known = this.accepted.get(clientMsgId)
    this.emit({ type: 'accepted', client_msg_id: clientMsgId, message_id: known ?? `u-${clientMsgId}` })
    if (known) return
    this.accepted.set(clientMsgId, `u-${clientMsgId}`)
    const turn = Number(text.slice(1))
    this.turnsStarted += 1
    const messageId = `a${turn}`
    answerFor(turn).forEach((word, k) => setTimeout(() => this.emit({ type: 'token', message_id: messageId, text: word }), 5 * (k + 1)))
    setTimeout(() => this.emit({ type: 'answer_done', message_id: messageId }), 5 * (answerFor(turn).length + 1))
  }

  private emit(frame: Record<string, unknown>): void {
    const withSeq = { ...frame, seq: this.log.length + 1 } as SeqFrame
    this.log.push(withSeq)
    if (this.live) this.socket?.push(withSeq)
  }
}

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

it('completes 200 answers exactly while the socket drops at random points', async () => {
  const random = prng(20261126)
  const server = new FakeChatServer(random)
  const received: SeqFrame[] = []
  let drops = 0
  const conn = new ChatConnection({
    url: 'ws://test/chat/ws?chat_id=c1',
    getToken: async () => 'token',
    onFrame: (f) => received.push(f as SeqFrame),
    createSocket: (url) => {
      const socket = new FakeSocket(url)
      server.attach(socket)
      return socket
    },
    random,
    network: { isOnline: () => true, subscribe: () => () => {} },
  })
  conn.start()
  for (let turn = 1; turn <= 200; turn++) {
    conn.send(`q${turn}`)
    const done = () => received.some((f) => f.type === 'answer_done' && f.message_id === `a${turn}`)
    for (let step = 0; !done(); step++) {
      expect(step).toBeLessThan(10_000)
      if (random() < 0.08) {
        server.drop()
        drops += 1
      }
      await vi.advanceTimersByTimeAsync(3)
    }
  }
  conn.dispose()

  expect(drops).toBeGreaterThan(100)
  expect(server.turnsStarted).toBe(200)
  expect(received.map((f) => f.seq)).toEqual(server.log.map((f) => f.seq).slice(0, received.length))
  for (let turn = 1; turn <= 200; turn++) {
    const tokens = received.filter((f) => f.type === 'token' && f.message_id === `a${turn}`)
    expect(tokens.map((f) => (f as { text: string }).text).join('')).toBe(answerFor(turn).join(''))
  }
})
