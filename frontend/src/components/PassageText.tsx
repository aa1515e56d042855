/** A cited passage as formatted text: Markdown rendered, other formats as paragraphs (no PDF line breaks). */
import { documentKind } from '../lib/documentKind'
import { passageBody, passageParagraphs } from '../lib/passage'
import { DocumentMarkdown } from '../viewer/DocumentMarkdown'

export function PassageText({ filename, text }: { filename: string; text: string }) {
  return (
    <blockquote className="passage-text" data-testid="passage-text">
      {documentKind(filename) === 'markdown' ? (
        <DocumentMarkdown text={passageBody(text)} />
      ) : (
        passageParagraphs(text).map((paragraph, i) => <p key={i}>{paragraph}</p>)
      )}
    </blockquote>
  )
}
