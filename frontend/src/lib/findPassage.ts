/**
 * Where a cited passage is in text as the browser shows it. The stored passage and the shown text differ in
 * everything but their words: a PDF's text layer breaks lines and hyphenates differently from the extractor, rendered
 * Markdown has no `**` or `#`, ligatures may be split. So both sides are reduced to their letters and digits
 * (NFKC, lower case) and matched there; the match maps back to positions in the original pieces of text.
 *
 * A passage may run over a page boundary: when it is not on the page whole, its beginning (it continues on the next
 * page) or its end (it began on the previous one) is enough.
 */

export interface TextPoint {
  piece: number
  offset: number
}

export interface PassageMatch {
  start: TextPoint
  /** Just past the last matched character. */
  end: TextPoint
}

const WORD_CHAR = /[\p{L}\p{N}]/u
const ANCHORS = [40, 24, 16]

interface Folded {
  text: string
  points: TextPoint[]
}

function fold(pieces: string[]): Folded {
  let text = ''
  const points: TextPoint[] = []
  pieces.forEach((piece, index) => {
    let offset = 0
    for (const ch of piece) {
      for (const folded of ch.normalize('NFKC').toLowerCase()) {
        if (WORD_CHAR.test(folded)) {
          text += folded
          points.push({ piece: index, offset })
        }
      }
      offset += ch.length
    }
  })
  return { text, points }
}

export function foldText(text: string): string {
  return fold([text]).text
}

function span(haystack: Folded, start: number, end: number, pieces: string[]): PassageMatch {
  const last = haystack.points[end - 1]!
  const lastChar = pieces[last.piece]!.codePointAt(last.offset) ?? 0
  return {
    start: haystack.points[start]!,
    end: { piece: last.piece, offset: last.offset + (lastChar > 0xffff ? 2 : 1) },
  }
}

/** The passage's place in `pieces` (e.g. the text nodes of a rendered page), or null when it is not there. */
export function findPassage(pieces: string[], passage: string): PassageMatch | null {
  const haystack = fold(pieces)
  const needle = foldText(passage)
  if (!needle || !haystack.text) return null
  const whole = haystack.text.indexOf(needle)
  if (whole >= 0) return span(haystack, whole, whole + needle.length, pieces)
  for (const size of ANCHORS) {
    const anchor = Math.min(size, needle.length)
    const head = haystack.text.indexOf(needle.slice(0, anchor))
    if (head >= 0) {
      let end = head + anchor
      while (end < haystack.text.length && end - head < needle.length && haystack.text[end] === needle[end - head]) {
        end += 1
      }
      return span(haystack, head, end, pieces)
    }
    const tail = haystack.text.lastIndexOf(needle.slice(-anchor))
    if (tail >= 0) {
      const before = needle.length - anchor
      let start = tail
      while (start > 0 && tail - start < before && haystack.text[start - 1] === needle[before - (tail - start) - 1]) {
        start -= 1
      }
      return span(haystack, start, tail + anchor, pieces)
    }
  }
  return null
}
