/**
 * The actions under an answer (Copy, Regenerate) as one toolbar: a single Tab stop per answer, arrow keys move
 * between its buttons, so a long chat does not cost the keyboard dozens of stops on the way to the composer.
 */
import { useEffect, useRef, useState, type KeyboardEvent } from 'react'

interface AnswerActionsProps {
  text: string
  /** Present only on the answer to the chat's last question. */
  onRegenerate?: () => void
  regenerateDisabled?: boolean
}

const COPIED_MS = 2000

export function AnswerActions({ text, onRegenerate, regenerateDisabled = false }: AnswerActionsProps) {
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null)
  const [active, setActive] = useState(0)
  const bar = useRef<HTMLDivElement>(null)

  useEffect(() => {
    if (!copied) return
    const timer = window.setTimeout(() => setCopied(null), COPIED_MS)
    return () => window.clearTimeout(timer)
  }, [copied])

  const copy = async () => {
    setCopied((await copyText(text)) ? 'yes' : 'failed')
  }

  const buttons = () => [...(bar.current?.querySelectorAll<HTMLButtonElement>('button') ?? [])]
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const all = buttons()
    const step = e.key === 'ArrowRight' || e.key === 'ArrowDown' ? 1 : e.key === 'ArrowLeft' || e.key === 'ArrowUp' ? -1 : 0
    const to = e.key === 'Home' ? 0 : e.key === 'End' ? all.length - 1 : step ? (active + step + all.length) % all.length : -1
    if (to < 0 || all.length === 0) return
    e.preventDefault()
    setActive(to)
    all[to]!.focus()
  }
  const stop = (i: number) => (i === active ? 0 : -1)

  return (
    <div className="answer-actions" role="toolbar" aria-label="Answer actions" ref={bar} onKeyDown={onKeyDown}>
      <button
        type="button"
        className="button button-small button-quiet"
        tabIndex={stop(0)}
        onFocus={() => setActive(0)}
        onClick={() => void copy()}
        data-testid="copy-answer"
        data-copied={copied === 'yes' ? 'true' : undefined}
      >
        {copied === 'yes' ? 'Copied' : copied === 'failed' ? 'Copy failed' : 'Copy'}
      </button>
      {onRegenerate && (
        <button
          type="button"
          className="button button-small button-quiet"
          tabIndex={stop(1)}
          onFocus={() => setActive(1)}
          onClick={onRegenerate}
          disabled={regenerateDisabled}
          data-testid="regenerate-answer"
        >
          Regenerate
        </button>
      )}
      <span className="visually-hidden" aria-live="polite">
        {copied === 'yes' ? 'Answer copied to the clipboard' : copied === 'failed' ? 'Could not copy the answer' : ''}
      </span>
    </div>
  )
}

/** The Clipboard API where the page may use it (HTTPS or localhost); else the older selection-based copy. */
async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text)
      return true
    }
  } catch {
    // fall back below
  }
  const area = document.createElement('textarea')
  area.value = text
  area.setAttribute('readonly', '')
  area.style.position = 'fixed'
  area.style.opacity = '0'
  document.body.appendChild(area)
  area.select()
  try {
    return document.execCommand('copy')
  } catch {
    return false
  } finally {
    area.remove()
  }
}
