import { describe, expect, it } from 'vitest'
import { reindexActive, reindexStatusText } from './reindex'

const progress = (queued: number, running: number, failed = 0) => ({ queued, running, failed })

describe('reindex status', () => {
  it('counts documents done of those this page queued', () => {
    expect(reindexStatusText(5, progress(3, 1))).toBe('Re-indexing: 1 of 5 documents done.')
    expect(reindexStatusText(5, progress(0, 0))).toBe(
      'Re-index finished: 5 documents re-embedded with the current embedder.',
    )
    expect(reindexStatusText(0, progress(0, 0))).toBe('There are no ready documents to re-index.')
  })

  it('reports a run started elsewhere by what is left, and failures', () => {
    expect(reindexStatusText(null, progress(1, 1, 2))).toBe(
      'Re-indexing: 2 documents to go. 2 documents failed (see `ragchat jobs`).',
    )
    expect(reindexStatusText(null, progress(0, 0))).toBe('')
    expect(reindexStatusText(null, progress(0, 0, 1))).toBe('1 document failed (see `ragchat jobs`).')
  })

  it('is active while jobs are queued or running', () => {
    expect(reindexActive(null)).toBe(false)
    expect(reindexActive(progress(0, 1))).toBe(true)
    expect(reindexActive(progress(0, 0, 3))).toBe(false)
  })
})
