import { describe, expect, it } from 'vitest'
import { LocalEditLog, applyLocalEdits } from './localEdits'

type Doc = { id: string; status: string }
const doc = (id: string, status = 'ready'): Doc => ({ id, status })

describe('a list response older than what this tab just did', () => {
  it('keeps an item added while the list was on its way', () => {
    const list = applyLocalEdits([doc('a')], [{ kind: 'added', item: doc('new', 'pending') }])
    expect(list.map((d) => [d.id, d.status])).toEqual([
      ['new', 'pending'],
      ['a', 'ready'],
    ])
  })

  it('prefers the server copy of an item the response already has', () => {
    const list = applyLocalEdits([doc('new', 'indexing')], [{ kind: 'added', item: doc('new', 'pending') }])
    expect(list.map((d) => d.status)).toEqual(['indexing'])
  })

  it('does not bring back an item deleted while the list was on its way', () => {
    const list = applyLocalEdits([doc('a'), doc('b')], [{ kind: 'removed', id: 'a' }])
    expect(list.map((d) => d.id)).toEqual(['b'])
  })

  it('applies edits in order: added then deleted stays deleted', () => {
    expect(applyLocalEdits<Doc>([], [{ kind: 'added', item: doc('x') }, { kind: 'removed', id: 'x' }])).toEqual([])
  })
})

describe('the edit log', () => {
  it('lays over a response only the edits made after its request left', () => {
    const log = new LocalEditLog<Doc>()
    log.added(doc('before'))
    const since = log.mark()
    log.added(doc('after'))
    expect(log.over([doc('a')], since).map((d) => d.id)).toEqual(['after', 'a'])
    expect(log.over([doc('a')], log.mark()).map((d) => d.id)).toEqual(['a'])
  })

  it('serves two requests in flight, each with its own stamp', () => {
    const log = new LocalEditLog<Doc>()
    const first = log.mark()
    log.removed('a')
    const second = log.mark()
    log.added(doc('c'))
    expect(log.over([doc('a'), doc('b')], first).map((d) => d.id)).toEqual(['c', 'b'])
    expect(log.over([doc('b')], second).map((d) => d.id)).toEqual(['c', 'b'])
  })
})
