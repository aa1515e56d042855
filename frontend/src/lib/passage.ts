/**
 * Passage text as the reader should see it. Chunks keep the Markdown heading they start under (it helps retrieval),
 * but the UI already shows the heading path above the passage, so a leading `## Indexes` line is only noise there.
 * Display only: the stored chunk and what the model sees are unchanged.
 */
const HEADING = /^ {0,3}#{1,6}(?:[ \t].*)?$/

/** The passage without its leading Markdown heading lines (and the blank lines around them). */
export function passageBody(text: string): string {
  const lines = text.split(/\r?\n/)
  let start = 0
  while (start < lines.length && (HEADING.test(lines[start]!) || lines[start]!.trim() === '')) start += 1
  const body = lines.slice(start).join('\n')
  // A chunk that is nothing but headings still has to say something.
  return body.trim() ? body : text.trim()
}
