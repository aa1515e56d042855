/**
 * A document opened in a large dialog: PDF pages rendered by pdf.js at the cited page, Markdown and HTML rendered
 * (sanitized), plain text as it is, each with the cited passage highlighted and scrolled to. Word files have no
 * faithful renderer in the browser: they show their text as indexed (`GET /documents/{id}/text`, headings and
 * paragraphs). The bytes come from `GET /documents/{id}/file` with the session's token.
 */
import { lazy, Suspense, useCallback, useEffect, useState } from 'react'
import { documentsApi } from '../api/endpoints'
import { describeError } from '../api/errors'
import type { DocumentTextDto } from '../api/types'
import { Dialog } from '../components/Dialog'
import { PassageMeta } from '../components/PassageMeta'
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

type Loaded = {
  blob: Blob | null
  bytes: ArrayBuffer | null
  text: string | null
  sections?: DocumentTextDto['sections']
}

export function DocumentViewer({ target, onClose }: { target: ViewerTarget; onClose(): void }) {
  const kind = documentKind(target.filename)
  const [loaded, setLoaded] = useState<Loaded | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [highlighted, setHighlighted] = useState<string | null | undefined>(undefined)

  useEffect(() => {
    const abort = new AbortController()
    const load = async (): Promise<Loaded> => {
      if (kind === 'docx') {
        const indexed = await documentsApi.text(target.documentId, abort.signal)
        return { blob: null, bytes: null, text: indexed.text, sections: indexed.sections }
      }
      const blob = await documentsApi.file(target.documentId, abort.signal)
      return kind === 'pdf'
        ? { blob, bytes: await blob.arrayBuffer(), text: null }
        : { blob, bytes: null, text: await decodeText(blob) }
    }
    load()
      .then((result) => !abort.signal.aborted && setLoaded(result))
      .catch((err: unknown) => !abort.signal.aborted && setError(describeError(err)))
    return () => {
      abort.abort()
      clearPassageHighlight()
    }
  }, [target.documentId, kind])

  const onHighlight = useCallback((found: string | null) => setHighlighted(found), [])

  const download = async () => {
    let blob = loaded?.blob ?? null
    try {
      blob ??= await documentsApi.file(target.documentId)
    } catch (err) {
      setError(describeError(err))
      return
    }
    const url = URL.createObjectURL(blob)
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
          <button type="button" className="button" onClick={() => void download()} disabled={!loaded} data-testid="download-document">
            Download
          </button>
          <button type="button" className="button" onClick={onClose} autoFocus>
            Close
          </button>
        </>
      }
    >
      <PassageMeta filename={target.filename} page={target.page} headingPath={target.headingPath} />
      {target.passage && highlighted === null && (
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
        {loaded && loaded.text !== null && kind !== 'pdf' && (
          <TextDocument
            kind={kind}
            text={loaded.text}
            sections={loaded.sections}
            passage={target.passage}
            headingPath={target.headingPath}
            onHighlight={onHighlight}
          />
        )}
      </div>
    </Dialog>
  )
}
