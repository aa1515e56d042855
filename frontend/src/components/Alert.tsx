import type { ReactNode } from 'react'

/** An error or notice, announced to screen readers when it appears. */
export function Alert({ kind = 'error', children, actions, testId }: {
  kind?: 'error' | 'info'
  children: ReactNode
  actions?: ReactNode
  testId?: string
}) {
  return (
    <div className={`alert alert-${kind}`} role={kind === 'error' ? 'alert' : 'status'} data-testid={testId}>
      <div className="alert-text">{children}</div>
      {actions && <div className="alert-actions">{actions}</div>}
    </div>
  )
}
