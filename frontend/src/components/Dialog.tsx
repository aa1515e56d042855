/**
 * A modal built on the native `<dialog>`: `showModal()` gives focus trapping, Escape to close and an inert page
 * behind it for free. Focus goes back to whatever opened it.
 */
import { useEffect, useId, useRef, type ReactNode } from 'react'

interface DialogProps {
  title: ReactNode
  onClose(): void
  children: ReactNode
  footer?: ReactNode
  testId?: string
  wide?: boolean
  className?: string
}

export function Dialog({ title, onClose, children, footer, testId, wide, className }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null)
  const titleId = useId()
  useEffect(() => {
    const dialog = ref.current
    const opener = document.activeElement as HTMLElement | null
    if (dialog && !dialog.open) dialog.showModal()
    return () => {
      if (dialog?.open) dialog.close()
      opener?.focus?.()
    }
  }, [])
  return (
    <dialog
      ref={ref}
      className={['dialog', wide && 'dialog-wide', className].filter(Boolean).join(' ')}
      aria-labelledby={titleId}
      data-testid={testId}
      onCancel={(e) => {
        e.preventDefault()
        onClose()
      }}
      onClick={(e) => e.target === ref.current && onClose()}
    >
      <div className="dialog-body">
        <h2 id={titleId} className="dialog-title">
          {title}
        </h2>
        {children}
      </div>
      {footer && <div className="dialog-footer">{footer}</div>}
    </dialog>
  )
}
