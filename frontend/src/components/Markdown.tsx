/**
 * Renders model output as Markdown without ever injecting HTML: react-markdown builds React elements (no
 * `rehype-raw`, raw HTML is skipped), link URLs go through its safe-URL filter, and images are shown as plain
 * links so a poisoned document cannot make the answer load a tracking or data-leaking image URL.
 */
import { memo, useMemo } from 'react'
import ReactMarkdown, { type Components } from 'react-markdown'
import remarkGfm from 'remark-gfm'
import type { Citation } from '../api/types'
import { citationNumber, linkCitations } from '../chat/citations'
import { SAFE_ELEMENTS } from '../viewer/DocumentMarkdown'
import { CitationChip } from './CitationChip'

interface MarkdownProps {
  text: string
  citations?: Citation[]
  onOpenCitation?(citation: Citation): void
}

export const Markdown = memo(function Markdown({ text, citations = [], onOpenCitation }: MarkdownProps) {
  const components = useMemo<Components>(
    () => ({
      a: ({ href, children }) => {
        const n = citationNumber(href)
        if (n !== null) {
          return <CitationChip n={n} citation={citations.find((c) => c.n === n) ?? null} onOpen={onOpenCitation} />
        }
        return <SAFE_ELEMENTS.a href={href}>{children}</SAFE_ELEMENTS.a>
      },
      img: SAFE_ELEMENTS.img,
    }),
    [citations, onOpenCitation],
  )
  return (
    <div className="markdown">
      <ReactMarkdown remarkPlugins={[remarkGfm]} components={components} skipHtml>
        {linkCitations(text)}
      </ReactMarkdown>
    </div>
  )
})
