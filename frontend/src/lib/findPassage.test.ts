import { describe, expect, it } from 'vitest'
import { findPassage } from './findPassage'

function matched(pieces: string[], passage: string): string {
  const found = findPassage(pieces, passage)
  if (!found) return '(none)'
  let text = ''
  for (let p = found.start.piece; p <= found.end.piece; p += 1) {
    const from = p === found.start.piece ? found.start.offset : 0
    const to = p === found.end.piece ? found.end.offset : pieces[p]!.length
    text += pieces[p]!.slice(from, to)
  }
  return text
}

describe('finding a passage in shown text', () => {
  it('matches across text-layer pieces whatever the line breaks and hyphens', () => {
    const layer = ['Intro. Pgvector adds vec-', 'tor similarity search to', ' PostgreSQL. The end.']
    expect(matched(layer, 'Pgvector adds vector\nsimilarity search to PostgreSQL.')).toBe(
      'Pgvector adds vec-tor similarity search to PostgreSQL',
    )
  })

  it('ignores Markdown markup that the rendered page does not show', () => {
    expect(matched(['Keep ', 'every', ' receipt for a year.'], '**Keep** _every_ receipt')).toBe('Keep every receipt')
  })

  it('finds the beginning of a passage that continues on the next page', () => {
    const page = ['Chapter two. The whole first half of the passage is here on this page']
    expect(matched(page, 'The whole first half of the passage is here on this page and the rest on the next one')).toBe(
      'The whole first half of the passage is here on this page',
    )
  })

  it('finds the end of a passage that began on the previous page', () => {
    const page = ['and it ends on this second page. Something else follows.']
    expect(matched(page, 'This passage starts on page one and it ends on this second page.')).toBe(
      'and it ends on this second page',
    )
  })

  it('finds nothing when the words are not there', () => {
    expect(findPassage(['Completely different words'], 'Pgvector adds vector search')).toBeNull()
    expect(findPassage(['anything'], '  ** ')).toBeNull()
  })
})
