/**
 * A document opened in a large dialog: PDF pages rendered by pdf.js at the cited page, Markdown and HTML rendered
 * (sanitized), plain text as it is, each with the cited passage highlighted and scrolled to. Word files have no
 * faithful renderer in the browser, so they show the passage and offer the download. The bytes come from
 * `GET /documents/{id}/file` with the session's token.
 */
import { lazy, Suspense, useCallback, useEffect, useState } from 'react'
import { documentsApi } from '../api/endpoints'
import { describeError } from '../api/errors'
import { Dialog } from '../components/Dialog'
import { PassageMeta } from '../components/PassageMeta'
import { PassageText } from '../components/PassageText'
import { documentKind } from '../lib/documentKind'
import { clearPassageHighlight } from './highlight'
import { decodeText, TextDocument } from './TextDocument'

const PdfDocument = lazy(() => import('./PdfDocument'))

export interface ViewerTarget {
  documentId: string
  filename: string
  page: number | null
  headingPath: string[]
  /** The cited passage to highlight; null when the document is opened from the list. */
  passage: string | null
}

type Loaded = { blob: Blob; bytes: ArrayBuffer | null; text: string | null }

export function DocumentViewer({ target, onClose }: { target: ViewerTarget; onClose(): void }) {
  const kind = documentKind(target.filename)
  const [loaded, setLoaded] = useState<Loaded | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [highlighted, setHighlighted] = useState<string | null | undefined>(undefined)

  useEffect(() => {
    const abort = new AbortController()
    documentsApi
      .file(target.documentId, abort.signal)
      .then(async (blob) => {
        const bytes = kind === 'pdf' ? await blob.arrayBuffer() : null
        const text = kind === 'pdf' || kind === 'docx' ? null : await decodeText(blob)
        if (!abort.signal.aborted) setLoaded({ blob, bytes, text })
      })
      .catch((err: unknown) => !abort.signal.aborted && setError(describeError(err)))
    return () => {
      abort.abort()
      clearPassageHighlight()
    }
  }, [target.documentId, kind])

  const onHighlight = useCallback((found: string | null) => setHighlighted(found), [])

  const download = () => {
    if (!loaded) return
    const url = URL.createObjectURL(loaded.blob)
    const link = document.createElement('a')
    link.href = url
    link.download = target.filename
    link.click()
    setTimeout(() => URL.revokeObjectURL(url), 10_000)
  }

  return (
    <Dialog
      title={target.filename}
      onClose={onClose}
      testId="document-viewer"
      wide
      className="dialog-viewer"
      footer={
        <>
          <button type="button" className="button" onClick={download} disabled={!loaded} data-testid="download-document">
            Download
          </button>
          <button type="button" className="button" onClick={onClose} autoFocus>
            Close
          </button>
        </>
      }
    >
      <PassageMeta filename={target.filename} page={target.page} headingPath={target.headingPath} />
      {target.passage && highlighted === null && kind !== 'docx' && (
        <p className="muted small" role="status">
          The cited passage could not be marked here{target.page ? ` (it is on page ${target.page})` : ''}.
        </p>
      )}
      <div
        className="viewer-content"
        data-testid="viewer-content"
        data-highlighted={highlighted ?? undefined}
        data-kind={kind}
      >
        {error && (
          <p className="viewer-message" role="alert">
            {error}
          </p>
        )}
        {!error && !loaded && <p className="muted">Loading the document…</p>}
        {loaded && kind === 'pdf' && loaded.bytes && (
          <Suspense fallback={<p className="muted">Loading the PDF viewer…</p>}>
            <PdfDocument data={loaded.bytes} page={target.page} passage={target.passage} onHighlight={onHighlight} />
          </Suspense>
        )}
        {loaded && loaded.text !== null && (kind === 'markdown' || kind === 'html' || kind === 'text') && (
          <TextDocument
            kind={kind}
            text={loaded.text}
            passage={target.passage}
            headingPath={target.headingPath}
            onHighlight={onHighlight}
          />
        )}
        {loaded && kind === 'docx' && (
          <>
            <p className="muted">Word documents cannot be shown in the browser; download it to read it whole.</p>
            {target.passage && <PassageText filename={target.filename} text={target.passage} />}
          </>
        )}
      </div>
    </Dialog>
  )
}
