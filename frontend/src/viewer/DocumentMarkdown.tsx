/**
 * A document's (or a passage's) Markdown, rendered the same safe way as answers: React elements only (raw HTML is
 * skipped), links open elsewhere, images become links so a document cannot make the page load a remote image.
 */
import ReactMarkdown, { type Components } from 'react-markdown'
import remarkGfm from 'remark-gfm'

/** Links open elsewhere; images become links. Answers (`components/Markdown.tsx`) render them the same way. */
export const SAFE_ELEMENTS: Required<Pick<Components, 'a' | 'img'>> = {
  a: ({ href, children }) => (
    <a href={href} target="_blank" rel="noopener noreferrer nofollow">
      {children}
    </a>
  ),
  img: ({ src, alt }) =>
    typeof src === 'string' && src ? (
      <a href={src} target="_blank" rel="noopener noreferrer nofollow">
        {alt || 'image'}
      </a>
    ) : (
      <>{alt}</>
    ),
}

export function DocumentMarkdown({ text }: { text: string }) {
  return (
    <div className="markdown">
      <ReactMarkdown remarkPlugins={[remarkGfm]} components={SAFE_ELEMENTS} skipHtml>
        {text}
      </ReactMarkdown>
    </div>
  )
}
