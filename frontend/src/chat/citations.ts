/**
 * Turns the answer's `[n]` markers into links to `#cite-n`, which the Markdown renderer shows as citation chips.
 * Code spans and fenced blocks are left alone, as are real links (`[1](…)`) and reference definitions (`[1]: …`).
 */
const CODE = /(```[\s\S]*?(?:```|$)|`[^`\n]*`)/
const MARKER = /(?<![\\!])\[(\d{1,3}(?:\s*,\s*\d{1,3})*)\](?![(:])/g

export const CITE_PREFIX = '#cite-'

export function linkCitations(markdown: string): string {
  return markdown
    .split(CODE)
    .map((part, i) =>
      i % 2 === 1
        ? part
        : part.replace(MARKER, (_, list: string) =>
            list
              .split(',')
              .map((n) => `[${Number(n)}](${CITE_PREFIX}${Number(n)})`)
              .join(''),
          ),
    )
    .join('')
}

/** The citation number of a `#cite-n` href, or null. */
export function citationNumber(href: string | undefined): number | null {
  if (!href?.startsWith(CITE_PREFIX)) return null
  const n = Number(href.slice(CITE_PREFIX.length))
  return Number.isInteger(n) && n > 0 ? n : null
}
