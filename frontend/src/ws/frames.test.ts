import { describe, expect, it } from 'vitest'
import { parseServerFrame } from './frames'

const raw = (value: unknown) => JSON.stringify(value)

describe('parseServerFrame', () => {
  it('returns the frame, typed by its type', () => {
    const frame = parseServerFrame(raw({ type: 'token', seq: 3, message_id: 'm1', text: 'Hi' }))
    expect(frame).toEqual({ type: 'token', seq: 3, message_id: 'm1', text: 'Hi' })
    if (frame?.type !== 'token') throw new Error('not a token frame')
    expect(frame.text.length).toBe(2) // no cast: the union narrows on `type`
  })

  it('takes a replaced frame only with its list of message ids', () => {
    const replaced = { type: 'replaced', seq: 7, message_ids: ['q1', 'a1'], by: 'q2' }
    expect(parseServerFrame(raw(replaced))).toEqual(replaced)
    expect(parseServerFrame(raw({ ...replaced, message_ids: 'q1' }))).toBeNull()
    expect(parseServerFrame(raw({ ...replaced, message_ids: [1] }))).toBeNull()
  })

  it('flattens the passage a citation frame nests', () => {
    const citation = { n: 1, chunk_id: 'c1', document_id: 'd1', filename: 'a.md', text: 'x', page: null, heading_path: [] }
    expect(parseServerFrame(raw({ type: 'citation', seq: 4, message_id: 'm1', citation }))).toEqual({
      type: 'citation',
      seq: 4,
      message_id: 'm1',
      ...citation,
    })
  })

  it('reads an error frame without a seq and says whether it is retryable', () => {
    expect(parseServerFrame(raw({ type: 'error', code: 'invalid_input', message: 'bad' }))).toEqual({
      type: 'error',
      code: 'invalid_input',
      message: 'bad',
      retryable: false,
    })
  })

  it.each([
    ['not JSON', 'not json'],
    ['not an object', raw([1, 2])],
    ['no type', raw({ seq: 1 })],
    ['an unknown type', raw({ type: 'surprise', seq: 1 })],
    ['a missing field', raw({ type: 'token', seq: 1, text: 'x' })],
    ['a field of the wrong type', raw({ type: 'snapshot', epoch: 'e', last_seq: '3' })],
    ['a binary frame', new ArrayBuffer(4)],
  ])('ignores %s', (_what, data) => {
    expect(parseServerFrame(data)).toBeNull()
  })
})
