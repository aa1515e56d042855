import { describe, expect, it } from 'vitest'
import { citationNumber, linkCitations } from './citations'

describe('linkCitations', () => {
  it('links single and grouped markers', () => {
    expect(linkCitations('Paris [1]. Also [2, 3].')).toBe('Paris [1](#cite-1). Also [2](#cite-2)[3](#cite-3).')
  })

  it('links adjacent markers', () => {
    expect(linkCitations('see [1][2]')).toBe('see [1](#cite-1)[2](#cite-2)')
  })

  it('leaves code, real links, images and reference definitions alone', () => {
    const text = 'a `x[1]` b\n```\narr[2]\n```\n[3](https://example.com) ![4](i.png)\n[5]: https://x'
    expect(linkCitations(text)).toBe(text)
  })

  it('reads the number back from a chip href', () => {
    expect(citationNumber('#cite-12')).toBe(12)
    expect(citationNumber('https://x')).toBeNull()
    expect(citationNumber('#cite-x')).toBeNull()
  })
})
