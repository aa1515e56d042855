import { describe, expect, it } from 'vitest'
import { passageBody, passageParagraphs } from './passage'

describe('passageBody', () => {
  it('drops leading heading lines and the blank lines after them', () => {
    expect(passageBody('## Indexes\n\nAn HNSW index answers quickly.')).toBe('An HNSW index answers quickly.')
    expect(passageBody('# Pgvector\n## Indexes\n\n\nText.\nMore.')).toBe('Text.\nMore.')
    expect(passageBody('\n  ### Deep heading ###\nBody')).toBe('Body')
    expect(passageBody('## Windows\r\n\r\nLine one\r\nLine two')).toBe('Line one\nLine two')
  })

  it('keeps headings further down, text that only looks similar, and heading-only chunks', () => {
    expect(passageBody('Intro.\n\n## Later\n\nBody')).toBe('Intro.\n\n## Later\n\nBody')
    expect(passageBody('#hashtag is not a heading')).toBe('#hashtag is not a heading')
    expect(passageBody('    # indented code')).toBe('    # indented code')
    expect(passageBody('## Only a heading\n')).toBe('## Only a heading')
  })
})

describe('passageParagraphs', () => {
  it('joins a PDF passage\'s printed lines and hyphenated words into paragraphs', () => {
    const pdf = 'Pgvector adds vector simi-\nlarity search to\nPostgreSQL.\n\nIndexes make it\n fast.'
    expect(passageParagraphs(pdf)).toEqual(['Pgvector adds vector similarity search to PostgreSQL.', 'Indexes make it fast.'])
  })

  it('keeps a hyphen that joins words and drops empty paragraphs', () => {
    expect(passageParagraphs('A well-\nKnown name\n\n\n \nend')).toEqual(['A well- Known name', 'end'])
    expect(passageParagraphs('x-ray\nvision')).toEqual(['x-ray vision'])
  })
})
