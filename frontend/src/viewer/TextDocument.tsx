/** Markdown, HTML and plain-text documents shown as the reader would see them, with the cited passage highlighted. */
import { useEffect, useMemo, useRef } from 'react'
import type { DocumentKind } from '../lib/documentKind'
import { DocumentMarkdown } from './DocumentMarkdown'
import { clearPassageHighlight, highlightPassage } from './highlight'
import { sanitizeHtml } from './sanitizeHtml'

interface TextDocumentProps {
  kind: Exclude<DocumentKind, 'pdf' | 'docx'>
  text: string
  passage: string | null
  headingPath: string[]
  onHighlight(found: string | null): void
}

export function TextDocument({ kind, text, passage, headingPath, onHighlight }: TextDocumentProps) {
  const root = useRef<HTMLDivElement>(null)
  const html = useMemo(() => (kind === 'html' ? sanitizeHtml(text) : ''), [kind, text])

  useEffect(() => {
    const element = root.current
    if (!element) return
    clearPassageHighlight()
    const range = passage ? highlightPassage(element, passage) : null
    if (!range && headingPath.length > 0) scrollToHeading(element, headingPath[headingPath.length - 1]!)
    onHighlight(range ? range.toString() : null)
  }, [html, text, passage, headingPath, onHighlight])

  return (
    <div className="document-body" ref={root} data-testid="document-text">
      {kind === 'markdown' && <DocumentMarkdown text={text} />}
      {kind === 'html' && <div className="markdown" dangerouslySetInnerHTML={{ __html: html }} />}
      {kind === 'text' && <pre className="document-plain">{text}</pre>}
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
