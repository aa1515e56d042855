import { describe, expect, it } from 'vitest'
import type { ChatHistory, MessageDto } from '../api/types'
import type { ErrorFrame, SeqFrame } from '../ws/frames'
import { chatDto, historyOf, messageDto } from './transcriptFixtures'
import { emptyTranscript, transcriptReducer, type Transcript, type TranscriptAction } from './transcript'

const chat = chatDto('test')
const dto = messageDto
const history = (messages: MessageDto[]): ChatHistory => historyOf(chat, messages)
const run = (actions: TranscriptAction[], start: Transcript = emptyTranscript) => actions.reduce(transcriptReducer, start)
const frame = (f: object): TranscriptAction => ({ type: 'frame', frame: f as SeqFrame | ErrorFrame })
const shown = (t: Transcript) => t.messages.map((m) => [m.id, m.role, m.content, m.status])

const before = history([
  dto({ id: 'q1', position: 1, content: 'first', client_msg_id: 'c1' }),
  dto({ id: 'a1', position: 2, role: 'assistant', content: 'one', reply_to: 'q1' }),
  dto({ id: 'q2', position: 3, content: 'second', client_msg_id: 'c2' }),
  dto({ id: 'a2', position: 4, role: 'assistant', content: 'two', reply_to: 'q2' }),
])
/** What the server sends for an edit of q1, sent by another tab. */
const edit = [
  frame({ type: 'accepted', seq: 11, client_msg_id: 'e1', message_id: 'e', text: 'first, edited', position: 5, status: 'pending', replaces: 'q1' }),
  frame({ type: 'replaced', seq: 12, message_ids: ['q1', 'a1', 'q2', 'a2'], by: 'e' }),
  frame({ type: 'answer_started', seq: 13, message_id: 'a3', reply_to: 'e' }),
  frame({ type: 'token', seq: 14, message_id: 'a3', text: 'new answer' }),
  frame({ type: 'answer_done', seq: 15, message_id: 'a3', reply_to: 'e' }),
]
const after = history([
  dto({ id: 'e', position: 5, content: 'first, edited', client_msg_id: 'e1' }),
  dto({ id: 'a3', position: 6, role: 'assistant', content: 'new answer', reply_to: 'e' }),
])

describe('edits and regenerates in the transcript', () => {
  it('an open tab ends with what a reload shows', () => {
    const live = run([{ type: 'history', history: before }, ...edit])
    const reloaded = run([{ type: 'history', history: after }])
    expect(shown(live)).toEqual(shown(reloaded))
    expect(shown(live)).toEqual([
      ['e', 'user', 'first, edited', 'complete'],
      ['a3', 'assistant', 'new answer', 'complete'],
    ])
  })

  it('the sending tab shows its edit once, and a late history load changes nothing', () => {
    const sender = run([
      { type: 'history', history: before },
      { type: 'send', clientMsgId: 'e1', text: 'first, edited' },
      ...edit,
      { type: 'history', history: after },
    ])
    expect(shown(sender)).toEqual(shown(run([{ type: 'history', history: after }])))
  })

  it('a tab joining mid-way (history already replaced) applies the replay idempotently', () => {
    const joined = run([{ type: 'history', history: history([after.messages[0]!]) }, ...edit.slice(1)])
    expect(shown(joined)).toEqual(shown(run([{ type: 'history', history: after }])))
  })

  it('ignores frames about replaced messages, even an answer that would show what arrives', () => {
    const t = run([
      { type: 'history', history: before },
      frame({ type: 'replaced', seq: 12, message_ids: ['q2', 'a2'], by: 'r' }),
      frame({ type: 'answer_started', seq: 13, message_id: 'late', reply_to: 'q2' }),
      frame({ type: 'token', seq: 14, message_id: 'late', text: 'stale' }),
      frame({ type: 'token', seq: 15, message_id: 'a2', text: 'stale' }),
      frame({ type: 'accepted', seq: 16, client_msg_id: 'c2', message_id: 'q2', text: 'second', position: 3 }),
    ])
    expect(t.messages.map((m) => m.id)).toEqual(['q1', 'a1'])
  })

  it('a duplicate answer withdrawn after a race is dropped, and a reload shows the stored one', () => {
    const q = dto({ id: 'q3', position: 5, content: 'third', client_msg_id: 'c3', status: 'pending' })
    const live = run([
      { type: 'history', history: history([...before.messages, q]) },
      frame({ type: 'answer_started', seq: 21, message_id: 'x1', reply_to: 'q3' }),
      frame({ type: 'answer_started', seq: 22, message_id: 'x2', reply_to: 'q3' }),
      frame({ type: 'token', seq: 23, message_id: 'x1', text: 'kept' }),
      frame({ type: 'token', seq: 24, message_id: 'x2', text: 'dropped' }),
      frame({ type: 'answer_done', seq: 25, message_id: 'x1', reply_to: 'q3' }),
      frame({ type: 'token', seq: 26, message_id: 'x2', text: ' late' }),
      frame({ type: 'replaced', seq: 27, message_ids: ['x2'], by: 'q3' }),
    ])
    const stored = history([
      ...before.messages,
      { ...q, status: 'complete' },
      dto({ id: 'x1', position: 6, role: 'assistant', content: 'kept', reply_to: 'q3' }),
    ])
    expect(live.reloadNeeded).toBe(true) // two answers streamed at once: the tab cannot tell which one was kept
    expect(live.messages.map((m) => m.id)).not.toContain('x2')
    const reloaded = transcriptReducer(live, { type: 'history', history: stored })
    expect(reloaded.reloadNeeded).toBe(false)
    expect(shown(reloaded)).toEqual(shown(run([{ type: 'history', history: stored }])))
    expect(shown(reloaded).slice(-2)).toEqual([['q3', 'user', 'third', 'complete'], ['x1', 'assistant', 'kept', 'complete']])
  })
})
