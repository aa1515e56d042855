import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ChatConnection, type ConnectionStatus, type ResyncInfo } from './chatConnection'
import type { ErrorFrame, SeqFrame } from './frames'
import { FakeNetwork, FakeSocket } from './fakeSocket'

interface Harness {
  conn: ChatConnection
  sockets: FakeSocket[]
  frames: (SeqFrame | ErrorFrame)[]
  statuses: ConnectionStatus[]
  resyncs: ResyncInfo[]
  rejected: string[]
  tokenCalls: boolean[]
  network: FakeNetwork
  last(): FakeSocket
}

function harness(overrides: { onResync?: (info: ResyncInfo) => Promise<void> | void } = {}): Harness {
  const sockets: FakeSocket[] = []
  const h: Partial<Harness> = {
    sockets,
    frames: [],
    statuses: [],
    resyncs: [],
    rejected: [],
    tokenCalls: [],
    network: new FakeNetwork(),
    last: () => sockets[sockets.length - 1]!,
  }
  h.conn = new ChatConnection({
    url: 'ws://test/chat/ws?chat_id=c1',
    getToken: async (force) => {
      h.tokenCalls!.push(force)
      return force ? 'fresh-token' : 'token'
    },
    onFrame: (f) => h.frames!.push(f),
    onStatus: (s) => h.statuses!.push(s),
    onResync: (info) => {
      h.resyncs!.push(info)
      return overrides.onResync?.(info)
    },
    onMessageRejected: (id) => h.rejected!.push(id),
    createSocket: (url) => {
      const s = new FakeSocket(url)
      sockets.push(s)
      return s
    },
    network: h.network,
    random: () => 0.5,
    ackDelayMs: 100,
    ackEvery: 5,
    pingIntervalMs: 1_000,
    pongTimeoutMs: 500,
  })
  return h as Harness
}

const settle = () => vi.advanceTimersByTimeAsync(0)

/** Starts (or lets the pending reconnect run), completes the handshake and answers with a snapshot. */
async function connect(h: Harness, epoch = 'e1', lastSeq = 0): Promise<FakeSocket> {
  const before = h.sockets.length
  await vi.advanceTimersByTimeAsync(20_000)
  expect(h.sockets.length).toBe(before + 1)
  const socket = h.last()
  socket.open()
  socket.push({ type: 'snapshot', epoch, last_seq: lastSeq })
  await settle()
  return socket
}

const token = (seq: number, text: string, message_id = 'm1') => ({ type: 'token', seq, message_id, text })
const texts = (h: Harness) => h.frames.filter((f) => f.type === 'token').map((f) => (f as { text: string }).text)

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

describe('handshake', () => {
  it('authenticates with the first frame and resumes from the snapshot after an initial resync', async () => {
    const h = harness()
    h.conn.start()
    const socket = await connect(h, 'e1', 7)
    expect(socket.sent[0]).toEqual({ type: 'auth', token: 'token' })
    expect(socket.sent[1]).toEqual({ type: 'resume', after_seq: 7 })
    expect(h.resyncs).toEqual([{ epoch: 'e1', lastSeq: 7, initial: true }])
    expect(h.conn.lastSeq).toBe(7)
    expect(h.conn.currentStatus.state).toBe('open')
  })

  it('joins from join_seq, so an answer being written arrives from its first token', async () => {
    const h = harness()
    h.conn.start()
    await vi.advanceTimersByTimeAsync(20_000)
    const socket = h.last()
    socket.open()
    socket.push({ type: 'snapshot', epoch: 'e1', last_seq: 9, join_seq: 6 })
    await settle()
    expect(socket.sent[1]).toEqual({ type: 'resume', after_seq: 6 })
    socket.push({ type: 'answer_started', seq: 7, message_id: 'm1', reply_to: 'q1' })
    socket.push(token(8, 'From '))
    socket.push(token(9, 'the start'))
    expect(texts(h)).toEqual(['From ', 'the start'])
    expect(h.conn.lastSeq).toBe(9)
  })

  it('holds frames that arrive while history reloads and delivers them afterwards, in order', async () => {
    let release!: () => void
    const h = harness({ onResync: () => new Promise<void>((r) => (release = r)) })
    h.conn.start()
    await settle()
    const socket = h.last()
    socket.open()
    socket.push({ type: 'snapshot', epoch: 'e1', last_seq: 2 })
    socket.push(token(2, 'old'))
    socket.push(token(3, 'a'))
    socket.push(token(4, 'b'))
    await settle()
    expect(h.frames).toEqual([])
    release()
    await settle()
    expect(texts(h)).toEqual(['a', 'b'])
  })
})

describe('seq tracking', () => {
  it('hands each frame to the UI once, ignoring any seq at or below the last one seen', async () => {
    const h = harness()
    h.conn.start()
    const socket = await connect(h)
    for (const f of [token(1, 'H'), token(2, 'e'), token(2, 'e'), token(1, 'H'), token(3, 'y')]) socket.push(f)
    expect(texts(h)).toEqual(['H', 'e', 'y'])
    expect(h.conn.lastSeq).toBe(3)
  })

  it('ignores malformed frames and answers pongs without touching the seq', async () => {
    const h = harness()
    h.conn.start()
    const socket = await connect(h)
    socket.push('not json')
    socket.push({ no: 'type' })
    socket.push({ type: 'pong' })
    expect(h.frames).toEqual([])
    expect(h.conn.lastSeq).toBe(0)
  })

  it('passes error frames without a seq straight through', async () => {
    const h = harness()
    h.conn.start()
    const socket = await connect(h)
    socket.push({ type: 'error', code: 'invalid_input', message: 'bad', retryable: false })
    expect(h.frames.map((f) => f.type)).toEqual(['error'])
  })

  it('delivers seq-0 errors about a message every time, stops re-sending it and keeps the seq', async () => {
    const h = harness()
    h.conn.start()
    const socket = await connect(h, 'e1', 3)
    const id = h.conn.send('hello')
    socket.push({ type: 'error', seq: 0, code: 'rate_limited', message: 'slow', retryable: true, client_msg_id: id })
    socket.push({ type: 'error', seq: 0, code: 'rate_limited', message: 'slow', retryable: true, client_msg_id: id })
    expect(h.frames.map((f) => (f as { client_msg_id?: string }).client_msg_id)).toEqual([id, id])
    expect(h.conn.pending).toEqual([])
    expect(h.conn.lastSeq).toBe(3)
  })
})

describe('acknowledgements', () => {
  it('acks the highest seq after a quiet period', async () => {
    const h = harness()
    h.conn.start()
    const socket = await connect(h)
    socket.push(token(1, 'a'))
    socket.push(token(2, 'b'))
    expect(socket.sentOfType('ack')).toEqual([])
    await vi.advanceTimersByTimeAsync(100)
    expect(socket.sentOfType('ack')).toEqual([{ type: 'ack', seq: 2 }])
  })

  it('acks at once after every `ackEvery` frames and at the end of an answer', async () => {
    const h = harness()
    h.conn.start()
    const socket = await connect(h)
    for (let seq = 1; seq <= 5; seq++) socket.push(token(seq, 'x'))
    expect(socket.sentOfType('ack')).toEqual([{ type: 'ack', seq: 5 }])
    socket.push(token(6, 'y'))
    socket.push({ type: 'answer_done', seq: 7, message_id: 'm1', usage: { prompt_tokens: 1, completion_tokens: 2 } })
    expect(socket.sentOfType('ack')).toEqual([
      { type: 'ack', seq: 5 },
      { type: 'ack', seq: 7 },
    ])
  })
})

describe('reconnect and resume', () => {
  it('reconnects with backoff after a drop and resumes after the last seq it handed over', async () => {
    const h = harness()
    h.conn.start()
    const first = await connect(h)
    first.push(token(1, 'The '))
    first.push(token(2, 'answer '))
    first.drop(1006)
    expect(h.conn.currentStatus.state).toBe('reconnecting')
    await vi.advanceTimersByTimeAsync(300)
    expect(h.sockets).toHaveLength(1) // still waiting: 375 ms with attempt 1 and random 0.5
    const second = await connect(h, 'e1', 4)
    expect(second.sent[1]).toEqual({ type: 'resume', after_seq: 2 })
    expect(h.resyncs).toHaveLength(1) // same epoch: no history reload
    // The server replays from its log; an overlap with what we saw must not repeat.
    second.push(token(2, 'answer '))
    second.push(token(3, 'is '))
    second.push(token(4, '42'))
    expect(texts(h).join('')).toBe('The answer is 42')
  })

  it('backs off exponentially while the server stays away and resets after a successful sync', async () => {
    const h = harness()
    h.conn.start()
    await connect(h)
    h.last().drop()
    const delays: number[] = []
    for (let i = 0; i < 4; i++) {
      const status = h.conn.currentStatus
      delays.push(status.retryAt! - Date.now())
      await vi.advanceTimersByTimeAsync(status.retryAt! - Date.now())
      h.last().drop()
    }
    expect(delays).toEqual([375, 750, 1500, 3000])
    await connect(h)
    h.last().drop()
    expect(h.conn.currentStatus.retryAt! - Date.now()).toBe(375)
  })

  it('re-sends messages not yet accepted with the same client_msg_id, and only those', async () => {
    const h = harness()
    h.conn.start()
    const first = await connect(h)
    const a = h.conn.send('first question')
    const b = h.conn.send('second question')
    first.push({ type: 'accepted', seq: 1, client_msg_id: a, message_id: 'u1' })
    first.drop()
    const c = h.conn.send('typed while disconnected')
    const second = await connect(h, 'e1', 1)
    expect(second.sentOfType('message')).toEqual([
      { type: 'message', client_msg_id: b, text: 'second question' },
      { type: 'message', client_msg_id: c, text: 'typed while disconnected' },
    ])
    second.push({ type: 'accepted', seq: 2, client_msg_id: b, message_id: 'u2' })
    second.push({ type: 'accepted', seq: 3, client_msg_id: c, message_id: 'u3' })
    expect(h.conn.pending).toEqual([])
  })

  it('re-sends edits and regenerates not yet accepted, like messages', async () => {
    const h = harness()
    h.conn.start()
    const first = await connect(h)
    const edit = h.conn.edit('u1', 'better question', 'e1')
    const redo = h.conn.regenerate('u2', 'r1')
    expect([...first.sentOfType('edit'), ...first.sentOfType('regenerate')]).toHaveLength(2)
    first.drop()
    const second = await connect(h, 'e1', 0)
    expect(second.sentOfType('edit')).toEqual([{ type: 'edit', client_msg_id: edit, message_id: 'u1', text: 'better question' }])
    expect(second.sentOfType('regenerate')).toEqual([{ type: 'regenerate', client_msg_id: redo, message_id: 'u2' }])
    second.push({ type: 'accepted', seq: 1, client_msg_id: 'e1', message_id: 'u3', replaces: 'u1' })
    second.push({ type: 'error', code: 'message_replaced', message: 'reload', retryable: false, client_msg_id: 'r1' })
    expect(h.conn.pending).toEqual([])
  })

  it('stops re-sending a message the server answered with an error frame naming it', async () => {
    const h = harness()
    h.conn.start()
    const first = await connect(h)
    const id = h.conn.send('hello')
    first.push({ type: 'error', seq: 1, code: 'rate_limited', message: 'slow down', retryable: true, client_msg_id: id })
    expect(h.conn.pending).toEqual([])
    first.drop()
    const second = await connect(h, 'e1', 1)
    expect(second.sentOfType('message')).toEqual([])
  })

  it('reloads history and continues from the new last_seq when the epoch changed', async () => {
    const h = harness()
    h.conn.start()
    const first = await connect(h, 'e1', 0)
    first.push(token(1, 'a'))
    first.push(token(2, 'b'))
    first.drop()
    const second = await connect(h, 'e2', 0)
    expect(h.resyncs[1]).toEqual({ epoch: 'e2', lastSeq: 0, initial: false })
    expect(second.sent[1]).toEqual({ type: 'resume', after_seq: 0 })
    second.push(token(1, 'c'))
    expect(texts(h)).toEqual(['a', 'b', 'c'])
    expect(h.conn.knownEpoch).toBe('e2')
  })

  it('treats a log that went backwards under the same epoch as lost', async () => {
    const h = harness()
    h.conn.start()
    const first = await connect(h, 'e1', 10)
    first.push(token(11, 'a'))
    first.drop()
    await connect(h, 'e1', 3)
    expect(h.resyncs).toHaveLength(2)
    expect(h.conn.lastSeq).toBe(3)
  })
})

describe('mid-session snapshots', () => {
  it('reloads history when the server says what this socket missed is gone, then goes on from there', async () => {
    let release!: () => void
    let slow = false
    const h = harness({ onResync: () => (slow ? new Promise<void>((r) => (release = r)) : undefined) })
    h.conn.start()
    const socket = await connect(h, 'e1', 0)
    socket.push(token(1, 'a'))
    slow = true
    socket.push({ type: 'snapshot', epoch: 'e1', last_seq: 9, acked_seq: 1, reload_history: true })
    await settle()
    expect(h.resyncs).toEqual([
      { epoch: 'e1', lastSeq: 0, initial: true },
      { epoch: 'e1', lastSeq: 9, initial: false },
    ])
    expect(socket.sentOfType('resume').at(-1)).toEqual({ type: 'resume', after_seq: 9 })
    socket.push(token(9, 'already in the reloaded history'))
    socket.push(token(10, 'b'))
    await settle()
    expect(texts(h)).toEqual(['a'])
    release()
    await settle()
    expect(texts(h)).toEqual(['a', 'b'])
    expect(h.conn.lastSeq).toBe(10)
    expect(h.conn.currentStatus.state).toBe('open')
    expect(h.sockets).toHaveLength(1)
  })

  it('goes live only after the latest of overlapping reloads finished', async () => {
    const releases: (() => void)[] = []
    const h = harness({ onResync: () => new Promise<void>((r) => releases.push(r)) })
    h.conn.start()
    await settle()
    const socket = h.last()
    socket.open()
    socket.push({ type: 'snapshot', epoch: 'e1', last_seq: 0 })
    socket.push({ type: 'snapshot', epoch: 'e1', last_seq: 4, reload_history: true })
    socket.push(token(5, 'x'))
    await settle()
    releases[0]!()
    await settle()
    expect(h.frames).toEqual([])
    releases[1]!()
    await settle()
    expect(texts(h)).toEqual(['x'])
  })
})

describe('close codes and liveness', () => {
  it('refreshes the token and reconnects at once after 4401', async () => {
    const h = harness()
    h.conn.start()
    await connect(h)
    h.last().drop(4401, 'token expired')
    await settle()
    expect(h.tokenCalls).toEqual([false, true])
    expect(h.sockets).toHaveLength(2)
    h.last().open()
    expect(h.last().sent[0]).toEqual({ type: 'auth', token: 'fresh-token' })
  })

  it('reconnects within the first backoff step after 1012, however many drops came before', async () => {
    const h = harness()
    h.conn.start()
    await connect(h)
    for (let i = 0; i < 4; i++) {
      h.last().drop(1006) // earlier failures grow the backoff …
      await vi.advanceTimersByTimeAsync(60_000)
    }
    h.last().open()
    h.last().drop(1012, 'server restarting; reconnect')
    expect(h.conn.currentStatus).toMatchObject({ state: 'reconnecting' })
    await vi.advanceTimersByTimeAsync(500) // … but a restart is not a failure: at most baseMs
    expect(h.sockets).toHaveLength(6)
  })

  it('gives up after a second legacy policy close (1008), in its own words', async () => {
    const h = harness()
    h.conn.start()
    await settle()
    h.last().open()
    h.last().drop(1008, 'foreign chat')
    await settle()
    h.last().open()
    h.last().drop(1008, 'foreign chat')
    await vi.advanceTimersByTimeAsync(60_000)
    expect(h.sockets).toHaveLength(2)
    expect(h.conn.currentStatus).toMatchObject({ state: 'failed', detail: 'The server refused access to this chat.' })
  })

  it('stops at once on 4403 (no such chat for this user), whatever the reason text says', async () => {
    const h = harness()
    h.conn.start()
    await settle()
    h.last().open()
    h.last().drop(4403, 'please retry!')
    await vi.advanceTimersByTimeAsync(60_000)
    expect(h.sockets).toHaveLength(1)
    expect(h.conn.currentStatus).toMatchObject({
      state: 'failed',
      detail: 'This chat does not exist or is not yours.',
      closeCode: 4403,
    })
  })

  it('gives up when a refreshed token is refused too (4401 twice before going live)', async () => {
    const h = harness()
    h.conn.start()
    await settle()
    h.last().open()
    h.last().drop(4401, '')
    await settle()
    expect(h.tokenCalls).toEqual([false, true])
    h.last().open()
    h.last().drop(4401, '')
    await vi.advanceTimersByTimeAsync(60_000)
    expect(h.sockets).toHaveLength(2)
    expect(h.conn.currentStatus).toMatchObject({ state: 'failed' })
  })

  it('keeps retrying with backoff after 4429 (too many sockets) and 4408 (auth timeout)', async () => {
    const h = harness()
    h.conn.start()
    await settle()
    h.last().open()
    h.last().drop(4429, 'x')
    expect(h.conn.currentStatus).toMatchObject({ state: 'reconnecting' })
    expect(h.conn.currentStatus.detail).toContain('Too many chats')
    await vi.advanceTimersByTimeAsync(60_000)
    expect(h.sockets).toHaveLength(2)
    h.last().open()
    h.last().drop(4408, 'x')
    expect(h.conn.currentStatus).toMatchObject({ state: 'reconnecting' })
    await vi.advanceTimersByTimeAsync(60_000)
    expect(h.sockets).toHaveLength(3)
  })

  it('reports a message the server refused as too big (1009) and does not re-send it', async () => {
    const h = harness()
    h.conn.start()
    await connect(h)
    const id = h.conn.send('x'.repeat(10))
    h.last().drop(1009)
    expect(h.rejected).toEqual([id])
    const next = await connect(h)
    expect(next.sentOfType('message')).toEqual([])
  })

  it('drops the socket when the browser goes offline and resumes when it is back', async () => {
    const h = harness()
    h.conn.start()
    const first = await connect(h)
    first.push(token(1, 'a'))
    h.network.set(false)
    expect(first.closedWith?.code).toBe(4000)
    expect(h.conn.currentStatus.state).toBe('offline')
    first.push(token(2, 'late frame from a detached socket'))
    await vi.advanceTimersByTimeAsync(60_000)
    expect(h.sockets).toHaveLength(1)
    h.network.set(true)
    await settle()
    const second = h.last()
    second.open()
    second.push({ type: 'snapshot', epoch: 'e1', last_seq: 2 })
    await settle()
    expect(second.sent[1]).toEqual({ type: 'resume', after_seq: 1 })
    expect(texts(h)).toEqual(['a'])
  })

  it('pings and reconnects when nothing answers', async () => {
    const h = harness()
    h.conn.start()
    const socket = await connect(h)
    await vi.advanceTimersByTimeAsync(1_000)
    expect(socket.sentOfType('ping')).toHaveLength(1)
    socket.push({ type: 'pong' })
    await vi.advanceTimersByTimeAsync(1_000)
    expect(h.sockets).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(600)
    expect(socket.closedWith?.code).toBe(4000)
    expect(h.conn.currentStatus.state).toBe('reconnecting')
  })

  it('sends stop and set_stage only while connected, and closes cleanly on dispose', async () => {
    const h = harness()
    expect(h.conn.stop()).toBe(false)
    h.conn.start()
    const socket = await connect(h)
    expect(h.conn.stop()).toBe(true)
    expect(h.conn.setStage('test')).toBe(true)
    socket.push(token(1, 'a'))
    h.conn.dispose()
    expect(socket.sent.slice(-3)).toEqual([{ type: 'stop' }, { type: 'set_stage', stage: 'test' }, { type: 'ack', seq: 1 }])
    expect(socket.closedWith?.code).toBe(1000)
    expect(h.conn.currentStatus.state).toBe('closed')
  })
})
