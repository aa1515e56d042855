import type { Citation } from '../api/types'
import { passageBody } from '../lib/passage'
import { Dialog } from './Dialog'
import { PassageMeta } from './PassageMeta'

export function CitationPanel({ citation, onClose }: { citation: Citation; onClose(): void }) {
  return (
    <Dialog
      title={`Source ${citation.n}`}
      onClose={onClose}
      testId="citation-panel"
      wide
      footer={
        <button type="button" className="button" onClick={onClose} autoFocus>
          Close
        </button>
      }
    >
      <PassageMeta filename={citation.filename} page={citation.page} headingPath={citation.heading_path ?? []} />
      <blockquote className="passage-text">{passageBody(citation.text)}</blockquote>
    </Dialog>
  )
}
