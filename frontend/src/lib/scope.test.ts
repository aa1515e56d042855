import { describe, expect, it } from 'vitest'
import type { DocumentDto } from '../api/types'
import { admitted, allTags, describeScope, isEverything, parseTags, toggled } from './scope'

const doc = (id: string, filename: string, tags: string[] = []): DocumentDto => ({
  id,
  filename,
  tags,
  status: 'ready',
  failure_reason: null,
  progress: 1,
  chunks_done: 1,
  chunks_total: 1,
  size_bytes: 10,
  content_type: 'text/plain',
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
  source_url: null,
})

const docs = [doc('a', 'guide.pdf', ['manuals']), doc('b', 'notes.md'), doc('c', 'faq.md', ['manuals', 'support'])]

describe('document scope', () => {
  it('is everything when both lists are empty', () => {
    expect(isEverything({ document_ids: [], tags: [] })).toBe(true)
    expect(isEverything(null)).toBe(true)
    expect(describeScope({ document_ids: [], tags: [] }, docs)).toBe('All documents')
  })

  it('names the chosen documents and tags for the header', () => {
    expect(describeScope({ document_ids: ['a'], tags: [] }, docs)).toBe('guide.pdf')
    expect(describeScope({ document_ids: ['b', 'a', 'c'], tags: [] }, docs)).toBe('notes.md and 2 more')
    expect(describeScope({ document_ids: [], tags: ['manuals'] }, docs)).toBe('tag “manuals”')
    expect(describeScope({ document_ids: ['b'], tags: ['manuals', 'support'] }, docs)).toBe(
      'notes.md + tags “manuals”, “support”',
    )
    expect(describeScope({ document_ids: ['x', 'y'], tags: [] }, null)).toBe('2 documents')
  })

  it('admits listed documents and tagged ones', () => {
    expect(admitted({ document_ids: ['b'], tags: ['support'] }, docs).map((d) => d.id)).toEqual(['b', 'c'])
    expect(admitted({ document_ids: [], tags: [] }, docs)).toHaveLength(3)
  })

  it('parses, collects and toggles tags', () => {
    expect(parseTags(' Manuals,  2026   reports ,manuals,, ')).toEqual(['manuals', '2026 reports'])
    expect(allTags(docs)).toEqual(['manuals', 'support'])
    expect(toggled(['a', 'b'], 'a')).toEqual(['b'])
    expect(toggled(['b'], 'a')).toEqual(['b', 'a'])
  })
})
