/**
 * A PDF rendered in the browser with pdf.js, one page at a time: the page as a canvas and pdf.js's text layer over
 * it (selectable, and where the cited passage is highlighted). Loaded only when a PDF is opened: pdf.js is large.
 *
 * Everything comes from this origin: Vite bundles the worker as an asset, and the build copies pdf.js's standard
 * fonts and character maps into `dist/pdfjs/` (see vite.config.ts), so an offline install renders PDFs whole.
 * `isEvalSupported: false` keeps pdf.js from compiling fonts with `new Function`, which the CSP forbids anyway.
 */
import * as pdfjs from 'pdfjs-dist'
import type { PDFDocumentProxy, RenderTask } from 'pdfjs-dist'
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url'
import { useEffect, useRef, useState } from 'react'
import { clearPassageHighlight, highlightPassage } from './highlight'

pdfjs.GlobalWorkerOptions.workerSrc = workerUrl
const ASSETS = `${import.meta.env.BASE_URL}pdfjs/`
const MAX_SCALE = 2

interface PdfDocumentProps {
  data: ArrayBuffer
  page: number | null
  passage: string | null
  onHighlight(found: string | null): void
}

export default function PdfDocument({ data, page, passage, onHighlight }: PdfDocumentProps) {
  const [doc, setDoc] = useState<PDFDocumentProxy | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [current, setCurrent] = useState(page ?? 1)
  const frame = useRef<HTMLDivElement>(null)
  const canvas = useRef<HTMLCanvasElement>(null)
  const textLayer = useRef<HTMLDivElement>(null)

  useEffect(() => {
    // pdf.js hands the bytes to its worker (detaching them): give it a copy so a re-render can load again.
    const task = pdfjs.getDocument({
      data: new Uint8Array(data.slice(0)),
      isEvalSupported: false,
      standardFontDataUrl: `${ASSETS}standard_fonts/`,
      cMapUrl: `${ASSETS}cmaps/`,
      cMapPacked: true,
    })
    task.promise.then(
      (loaded) => {
        setDoc(loaded)
        setCurrent((n) => Math.min(Math.max(1, n), loaded.numPages))
      },
      (err: unknown) => setError(err instanceof Error ? err.message : String(err)),
    )
    return () => void task.destroy()
  }, [data])

  useEffect(() => {
    if (!doc || !canvas.current || !textLayer.current || !frame.current) return
    let cancelled = false
    let rendering: RenderTask | null = null
    let layer: pdfjs.TextLayer | null = null
    const draw = async () => {
      const pdfPage = await doc.getPage(current)
      const available = Math.max(320, (frame.current?.clientWidth ?? 800) - 2)
      const scale = Math.min(MAX_SCALE, available / pdfPage.getViewport({ scale: 1 }).width)
      const viewport = pdfPage.getViewport({ scale })
      const ratio = window.devicePixelRatio || 1
      const target = canvas.current!
      target.width = Math.floor(viewport.width * ratio)
      target.height = Math.floor(viewport.height * ratio)
      target.style.width = `${Math.floor(viewport.width)}px`
      target.style.height = `${Math.floor(viewport.height)}px`
      rendering = pdfPage.render({
        canvas: target,
        viewport,
        transform: ratio === 1 ? undefined : [ratio, 0, 0, ratio, 0, 0],
      })
      await rendering.promise
      if (cancelled) return
      const container = textLayer.current!
      container.replaceChildren()
      container.parentElement!.style.setProperty('--total-scale-factor', String(scale))
      layer = new pdfjs.TextLayer({ textContentSource: pdfPage.streamTextContent(), container, viewport })
      await layer.render()
      if (cancelled) return
      clearPassageHighlight()
      const range = passage && current === page ? highlightPassage(container, passage) : null
      container.dataset.rendered = 'true'
      onHighlight(range ? range.toString() : null)
    }
    draw().catch((err: unknown) => {
      if (!cancelled && !(err instanceof pdfjs.RenderingCancelledException)) {
        setError(err instanceof Error ? err.message : String(err))
      }
    })
    return () => {
      cancelled = true
      rendering?.cancel()
      layer?.cancel()
      if (textLayer.current) delete textLayer.current.dataset.rendered
    }
  }, [doc, current, page, passage, onHighlight])

  if (error) return <p className="viewer-message" role="alert">This PDF cannot be shown: {error}</p>
  return (
    <div className="pdf-viewer" ref={frame}>
      {doc && (
        <div className="pdf-toolbar" role="toolbar" aria-label="Pages">
          <button type="button" className="button button-small" onClick={() => setCurrent((n) => n - 1)} disabled={current <= 1}>
            Previous page
          </button>
          <span data-testid="pdf-page-number" data-page={current}>
            Page {current} of {doc.numPages}
          </span>
          <button
            type="button"
            className="button button-small"
            onClick={() => setCurrent((n) => n + 1)}
            disabled={current >= doc.numPages}
          >
            Next page
          </button>
        </div>
      )}
      {!doc && <p className="muted">Opening the PDF…</p>}
      <div className="pdf-page" data-testid="pdf-page">
        <canvas ref={canvas} />
        <div className="textLayer" ref={textLayer} data-testid="pdf-text-layer" />
      </div>
    </div>
  )
}
