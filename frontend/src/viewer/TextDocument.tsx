/** Markdown, HTML and plain-text documents shown as the reader would see them, with the cited passage highlighted. */
import { useEffect, useMemo, useRef } from 'react'
import type { DocumentTextDto } from '../api/types'
import type { DocumentKind } from '../lib/documentKind'
import { passageParagraphs } from '../lib/passage'
import { DocumentMarkdown } from './DocumentMarkdown'
import { clearPassageHighlight, highlightPassage } from './highlight'
import { sanitizeHtml } from './sanitizeHtml'

interface TextDocumentProps {
  kind: Exclude<DocumentKind, 'pdf'>
  text: string
  /** Word: the indexed text's sections, whose first paragraph is their heading. */
  sections?: DocumentTextDto['sections']
  passage: string | null
  headingPath: string[]
  onHighlight(found: string | null): void
}

export function TextDocument({ kind, text, sections, passage, headingPath, onHighlight }: TextDocumentProps) {
  const root = useRef<HTMLDivElement>(null)
  const html = useMemo(() => (kind === 'html' ? sanitizeHtml(text) : ''), [kind, text])

  useEffect(() => {
    const element = root.current
    if (!element) return
    clearPassageHighlight()
    const range = passage ? highlightPassage(element, passage) : null
    if (!range && headingPath.length > 0) scrollToHeading(element, headingPath[headingPath.length - 1]!)
    onHighlight(range ? range.toString() : null)
  }, [html, text, sections, passage, headingPath, onHighlight])

  return (
    <div className="document-body" ref={root} data-testid="document-text">
      {kind === 'markdown' && <DocumentMarkdown text={text} />}
      {kind === 'html' && <div className="markdown" dangerouslySetInnerHTML={{ __html: html }} />}
      {kind === 'text' && <pre className="document-plain">{text}</pre>}
      {kind === 'docx' && <SectionedText text={text} sections={sections ?? []} />}
    </div>
  )
}

/** Extracted text as paragraphs; a paragraph that is one of its section's headings is shown as that heading. */
function SectionedText({ text, sections }: { text: string; sections: DocumentTextDto['sections'] }) {
  if (!text) return <p className="muted">This document has no indexed text yet.</p>
  return (
    <div className="markdown">
      {sections.map((section) => (
        <section key={section.start}>
          {passageParagraphs(text.slice(section.start, section.end)).map((paragraph, i) => {
            const depth = section.heading_path.indexOf(paragraph)
            if (depth < 0) return <p key={i}>{paragraph}</p>
            const Heading = `h${Math.min(6, depth + 2)}` as 'h2'
            return <Heading key={i}>{paragraph}</Heading>
          })}
        </section>
      ))}
    </div>
  )
}

/** Without a located passage, at least open at its section. */
function scrollToHeading(root: HTMLElement, title: string): void {
  const wanted = title.trim().toLowerCase()
  const heading = [...root.querySelectorAll('h1, h2, h3, h4, h5, h6')].find(
    (h) => (h.textContent ?? '').trim().toLowerCase() === wanted,
  )
  heading?.scrollIntoView({ block: 'start' })
}

/** The file's text: UTF-16 when it starts with a byte-order mark, else UTF-8 (what the indexer assumes first too). */
export async function decodeText(blob: Blob): Promise<string> {
  const bytes = new Uint8Array(await blob.arrayBuffer())
  const encoding = bytes[0] === 0xff && bytes[1] === 0xfe ? 'utf-16le' : bytes[0] === 0xfe && bytes[1] === 0xff ? 'utf-16be' : 'utf-8'
  return new TextDecoder(encoding).decode(bytes)
}
