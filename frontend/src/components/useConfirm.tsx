import { useCallback, useState, type ReactNode } from 'react'
import { Dialog } from './Dialog'

interface ConfirmOptions {
  title: string
  message: ReactNode
  confirmLabel: string
}

/** `await confirm({...})` resolves true when the person confirms; render `dialog` somewhere in the component. */
export function useConfirm(): [(options: ConfirmOptions) => Promise<boolean>, ReactNode] {
  const [pending, setPending] = useState<{ options: ConfirmOptions; resolve(ok: boolean): void } | null>(null)
  const confirm = useCallback(
    (options: ConfirmOptions) => new Promise<boolean>((resolve) => setPending({ options, resolve })),
    [],
  )
  const answer = (ok: boolean) => {
    pending?.resolve(ok)
    setPending(null)
  }
  const dialog = pending && (
    <Dialog
      title={pending.options.title}
      onClose={() => answer(false)}
      testId="confirm-dialog"
      footer={
        <>
          <button type="button" className="button" onClick={() => answer(false)} autoFocus>
            Cancel
          </button>
          <button type="button" className="button button-danger" onClick={() => answer(true)} data-testid="confirm-button">
            {pending.options.confirmLabel}
          </button>
        </>
      }
    >
      <p>{pending.options.message}</p>
    </Dialog>
  )
  return [confirm, dialog]
}
