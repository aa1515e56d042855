import { useEffect, useRef, type ReactNode } from 'react'

/** The page's h1; it takes focus when the page opens so keyboard and screen-reader users land on the new page. */
export function PageHeading({ children, actions }: { children: ReactNode; actions?: ReactNode }) {
  const ref = useRef<HTMLHeadingElement>(null)
  useEffect(() => {
    ref.current?.focus({ preventScroll: true })
  }, [])
  return (
    <div className="page-heading">
      <h1 ref={ref} tabIndex={-1}>
        {children}
      </h1>
      {actions && <div className="page-heading-actions">{actions}</div>}
    </div>
  )
}
