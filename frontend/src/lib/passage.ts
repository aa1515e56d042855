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

/**
 * Extracted text (PDF, HTML, Word, plain text) as paragraphs: a PDF's text arrives with a line break at the end
 * of every printed line and words hyphenated across them, which reads badly in a narrow dialog. Blank lines
 * separate paragraphs; single line breaks join with a space, and `exam-\nple` becomes `example`.
 */
export function passageParagraphs(text: string): string[] {
  return text
    .split(/\r?\n[ \t]*\r?\n/)
    .map((paragraph) =>
      paragraph
        .replace(/(\p{L})-\r?\n[ \t]*(\p{Ll})/gu, '$1$2')
        .replace(/[ \t]*\r?\n[ \t]*/g, ' ')
        .replace(/[ \t]{2,}/g, ' ')
        .trim(),
    )
    .filter(Boolean)
}
