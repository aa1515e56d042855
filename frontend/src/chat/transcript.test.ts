import { describe, expect, it } from 'vitest'
import type { ChatHistory, MessageDto } from '../api/types'
import type { ErrorFrame, SeqFrame } from '../ws/frames'
import { chatDto, historyOf, messageDto } from './transcriptFixtures'
import { emptyTranscript, isAnswering, transcriptReducer, type Transcript, type TranscriptAction } from './transcript'

const chat = chatDto('answering')
const dto = messageDto
const history = (messages: MessageDto[], next_before: number | null = null): ChatHistory => historyOf(chat, messages, next_before)
const run = (actions: TranscriptAction[], start: Transcript = emptyTranscript) => actions.reduce(transcriptReducer, start)
const frame = (f: object): TranscriptAction => ({ type: 'frame', frame: f as SeqFrame | ErrorFrame })
const citation = { chunk_id: 'k', document_id: 'd', filename: 'f.md', text: 'passage', page: 2, heading_path: ['A'] }

describe('transcript', () => {
  it('shows a sent question, its acceptance, the streamed answer and its citations', () => {
    const t = run([
      { type: 'send', clientMsgId: 'x1', text: 'Where?' },
      frame({ type: 'accepted', seq: 1, client_msg_id: 'x1', message_id: 'u1' }),
      frame({ type: 'token', seq: 2, message_id: 'a1', text: 'Paris ' }),
      frame({ type: 'token', seq: 3, message_id: 'a1', text: '[1]' }),
      frame({ type: 'citation', seq: 4, message_id: 'a1', n: 1, ...citation }),
      frame({ type: 'citation', seq: 5, message_id: 'a1', n: 1, ...citation }),
    ])
    expect(t.messages.map((m) => [m.role, m.status, m.content])).toEqual([
      ['user', 'complete', 'Where?'],
      ['assistant', 'streaming', 'Paris [1]'],
    ])
    expect(t.messages[1]!.citations).toHaveLength(1)
    expect(isAnswering(t)).toBe(true)
    const done = run([frame({ type: 'answer_done', seq: 6, message_id: 'a1' })], t)
    expect(done.messages[1]!.status).toBe('complete')
    expect(isAnswering(done)).toBe(false)
    expect(done.reloadNeeded).toBe(false)
  })

  it('keeps unsent questions and a streaming answer when history reloads, without duplicating persisted ones', () => {
    const t = run([
      { type: 'send', clientMsgId: 'x1', text: 'one' },
      frame({ type: 'accepted', seq: 1, client_msg_id: 'x1', message_id: 'u1' }),
      frame({ type: 'token', seq: 2, message_id: 'a1', text: 'partial' }),
      { type: 'send', clientMsgId: 'x2', text: 'two' },
      { type: 'history', history: history([dto({ id: 'u1', position: 1, content: 'one', client_msg_id: 'x1' })]) },
    ])
    expect(t.messages.map((m) => m.key)).toEqual(['u1', 'a1', 'x2'])
  })

  it('ignores replayed frames for an answer history already holds complete', () => {
    const t = run([
      { type: 'history', history: history([dto({ id: 'a1', role: 'assistant', position: 2, content: 'Done.' })]) },
      frame({ type: 'token', seq: 9, message_id: 'a1', text: 'Done.' }),
      frame({ type: 'answer_done', seq: 10, message_id: 'a1' }),
    ])
    expect(t.messages.map((m) => m.content)).toEqual(['Done.'])
  })

  it('joins an answer being written from its start, after the question it answers', () => {
    const t = run([
      { type: 'history', history: history([
        dto({ id: 'u1', position: 1, status: 'pending', client_msg_id: 'x1' }),
        dto({ id: 'u2', position: 2, status: 'pending', client_msg_id: 'x2' }),
      ]) },
      frame({ type: 'answer_started', seq: 5, message_id: 'a1', reply_to: 'u1' }),
      frame({ type: 'token', seq: 6, message_id: 'a1', text: 'From the start' }),
      frame({ type: 'answer_done', seq: 7, message_id: 'a1', reply_to: 'u1' }),
    ])
    expect(t.messages.map((m) => [m.key, m.status, m.content])).toEqual([
      ['u1', 'complete', ''],
      ['a1', 'complete', 'From the start'],
      ['u2', 'pending', ''],
    ])
    expect(t.reloadNeeded).toBe(false)
    const again = run([frame({ type: 'answer_started', seq: 5, message_id: 'a1', reply_to: 'u1' })], t)
    expect(again).toBe(t)
  })

  it('shows a question another socket sent once, in position order, and follows title changes', () => {
    const accepted = { type: 'accepted', client_msg_id: 'y1', message_id: 'u2', text: 'From tab two', position: 2, status: 'pending' }
    const t = run([
      { type: 'history', history: history([dto({ id: 'u1', position: 1 }), dto({ id: 'u3', position: 3 })]) },
      frame({ ...accepted, seq: 1 }),
      frame({ ...accepted, seq: 2 }),
      frame({ type: 'title_changed', seq: 3, title: 'Mail ports' }),
    ])
    expect(t.messages.map((m) => m.key)).toEqual(['u1', 'u2', 'u3'])
    expect(t.messages[1]).toMatchObject({ content: 'From tab two', status: 'pending', clientMsgId: 'y1' })
    expect(t.title).toBe('Mail ports')
  })

  it('shows a failed turn from history as it was shown live: on the question, or on its partial answer', () => {
    const failure = { code: 'model_unavailable', message: 'the model is not reachable', retryable: true }
    const t = run([
      { type: 'history', history: history([
        dto({ id: 'u1', position: 1, status: 'interrupted', client_msg_id: 'x1', error: failure }),
        dto({ id: 'u2', position: 2, status: 'interrupted', client_msg_id: 'x2', error: failure }),
        dto({ id: 'a2', position: 3, role: 'assistant', status: 'interrupted', content: 'Half', reply_to: 'u2' }),
      ]) },
    ])
    expect(t.messages.map((m) => [m.key, m.status, m.error?.retryable ?? null])).toEqual([
      ['u1', 'interrupted', true],
      ['u2', 'interrupted', null],
      ['a2', 'interrupted', true],
    ])
    const live = run([
      { type: 'send', clientMsgId: 'x1', text: 'q' },
      frame({ type: 'accepted', seq: 1, client_msg_id: 'x1', message_id: 'u1', text: 'q', position: 1, status: 'pending' }),
      frame({ type: 'error', seq: 2, code: 'model_unavailable', message: 'the model is not reachable', retryable: true, client_msg_id: 'x1' }),
    ])
    expect(live.messages[0]).toMatchObject({ status: 'interrupted', error: t.messages[0]!.error })
    const started = run([
      { type: 'send', clientMsgId: 'x1', text: 'q' },
      frame({ type: 'accepted', seq: 1, client_msg_id: 'x1', message_id: 'u1', text: 'q', position: 1, status: 'pending' }),
      frame({ type: 'answer_started', seq: 2, message_id: 'a1', reply_to: 'u1' }),
      frame({ type: 'error', seq: 3, code: 'model_unavailable', message: 'the model is not reachable', retryable: true, client_msg_id: 'x1' }),
    ])
    expect(started.messages).toEqual(live.messages) // the empty answer is gone, as it is from history
    const retried = run([
      { type: 'retry', clientMsgId: 'x1' },
      frame({ type: 'accepted', seq: 3, client_msg_id: 'x1', message_id: 'u1', text: 'q', position: 1, status: 'pending' }),
    ], live)
    expect(retried.messages[0]).toMatchObject({ status: 'pending', error: null })
  })

  it('puts error frames on the message they name, on the streaming answer, or in a banner', () => {
    const named = run([
      { type: 'send', clientMsgId: 'x1', text: 'q' },
      frame({ type: 'error', seq: 0, code: 'rate_limited', message: 'too many messages; retry in 1.5s', retryable: true, client_msg_id: 'x1' }),
    ])
    expect(named.messages[0]).toMatchObject({
      status: 'failed',
      error: { code: 'rate_limited', message: 'Too many messages; retry in 1.5s.', retryable: true },
    })
    expect(named.banner).toBeNull()
    const retried = run([{ type: 'retry', clientMsgId: 'x1' }], named)
    expect(retried.messages[0]).toMatchObject({ status: 'sending', error: null })
    const streaming = run([
      frame({ type: 'token', seq: 1, message_id: 'a1', text: 'x' }),
      frame({ type: 'error', seq: 2, code: 'model_failed', message: 'boom', retryable: true }),
    ])
    expect(streaming.messages[0]).toMatchObject({ status: 'interrupted', error: { code: 'model_failed', message: 'Boom.' } })
    const banner = run([frame({ type: 'error', code: 'invalid_frame', message: 'Expected `str`', retryable: false })])
    expect(banner.banner).toEqual({ code: 'invalid_frame', message: 'The server could not read what was sent.', retryable: false })
  })

  it('leaves the conversation alone when an error is only about the socket input', () => {
    const t = run([
      { type: 'send', clientMsgId: 'x1', text: 'q' },
      frame({ type: 'accepted', seq: 1, client_msg_id: 'x1', message_id: 'u1' }),
      frame({ type: 'token', seq: 2, message_id: 'a1', text: 'Half' }),
      frame({ type: 'error', seq: 0, code: 'rate_limited', message: 'too many frames; slow down', retryable: true }),
      frame({ type: 'error', seq: 0, code: 'rate_limited', message: 'late', retryable: true, client_msg_id: 'x1' }),
    ])
    expect(t.messages.map((m) => [m.role, m.status])).toEqual([
      ['user', 'complete'],
      ['assistant', 'streaming'],
    ])
    expect(t.banner?.code).toBe('rate_limited')
  })

  it('interrupts the answer a failed turn names, not the question it carries', () => {
    const t = run([
      { type: 'send', clientMsgId: 'x1', text: 'q' },
      frame({ type: 'accepted', seq: 1, client_msg_id: 'x1', message_id: 'u1' }),
      frame({ type: 'token', seq: 2, message_id: 'a1', text: 'Half' }),
      frame({ type: 'error', seq: 3, code: 'model_interrupted', message: 'the stream broke', retryable: true, client_msg_id: 'x1', message_id: 'a1' }),
      frame({ type: 'answer_done', seq: 4, message_id: 'a1' }),
    ])
    expect(t.messages.map((m) => [m.role, m.status, m.error?.message ?? null])).toEqual([
      ['user', 'interrupted', null],
      ['assistant', 'interrupted', 'The stream broke.'],
    ])
    const stopped = run([
      { type: 'send', clientMsgId: 'x1', text: 'q' },
      frame({ type: 'accepted', seq: 1, client_msg_id: 'x1', message_id: 'u1' }),
      frame({ type: 'token', seq: 2, message_id: 'a1', text: 'Half' }),
      frame({ type: 'error', seq: 3, code: 'stopped', message: 'the answer was stopped', retryable: false, client_msg_id: 'x1', message_id: 'a1' }),
    ])
    expect(stopped.messages[1]).toMatchObject({ status: 'interrupted', error: null, stopped: true })
    expect(stopped.banner).toBeNull()
  })

  it('ends a stopped answer as interrupted, and a failed turn without an answer on its question', () => {
    const stopped = run([
      frame({ type: 'token', seq: 1, message_id: 'a1', text: 'Half' }),
      { type: 'stop_requested' },
      frame({ type: 'answer_done', seq: 2, message_id: 'a1' }),
    ])
    expect(stopped.messages[0]).toMatchObject({ status: 'interrupted', content: 'Half', error: null })
    const failed = run([
      { type: 'send', clientMsgId: 'x1', text: 'q' },
      frame({ type: 'accepted', seq: 1, client_msg_id: 'x1', message_id: 'u1' }),
      frame({ type: 'error', seq: 2, code: 'unavailable', message: 'model down', retryable: true }),
    ])
    expect(isAnswering(failed)).toBe(false)
    expect(failed.messages[0]).toMatchObject({ status: 'interrupted', error: { retryable: true } })
    expect(failed.banner).toBeNull()
  })

  it('prepends an older page and follows stage changes', () => {
    const t = run([
      { type: 'history', history: history([dto({ id: 'm3', position: 3 })], 3) },
      { type: 'older', history: history([dto({ id: 'm1', position: 1 }), dto({ id: 'm2', position: 2 })]) },
      frame({ type: 'stage_changed', seq: 1, stage: 'test' }),
    ])
    expect(t.messages.map((m) => m.id)).toEqual(['m1', 'm2', 'm3'])
    expect(t.nextBefore).toBeNull()
    expect(t.stage).toBe('test')
  })
})
