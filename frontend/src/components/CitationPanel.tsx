import { useState } from 'react'
import type { Citation } from '../api/types'
import { DocumentViewer } from '../viewer/DocumentViewer'
import { Dialog } from './Dialog'
import { PassageMeta } from './PassageMeta'
import { PassageText } from './PassageText'

/** A cited passage as formatted text; "Open document" shows the whole document at the passage, highlighted. */
export function CitationPanel({ citation, onClose }: { citation: Citation; onClose(): void }) {
  const [viewing, setViewing] = useState(false)
  if (viewing) {
    return (
      <DocumentViewer
        target={{
          documentId: citation.document_id,
          filename: citation.filename,
          page: citation.page,
          headingPath: citation.heading_path ?? [],
          passage: citation.text,
        }}
        onClose={onClose}
      />
    )
  }
  return (
    <Dialog
      title={`Source ${citation.n}`}
      onClose={onClose}
      testId="citation-panel"
      wide
      footer={
        <>
          <button type="button" className="button" onClick={() => setViewing(true)} data-testid="open-document">
            Open document
          </button>
          <button type="button" className="button" onClick={onClose} autoFocus>
            Close
          </button>
        </>
      }
    >
      <PassageMeta filename={citation.filename} page={citation.page} headingPath={citation.heading_path ?? []} />
      <PassageText filename={citation.filename} text={citation.text} />
    </Dialog>
  )
}
