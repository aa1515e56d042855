/** Where a passage comes from: document, page and heading path. */
export function PassageMeta({ filename, page, headingPath }: {
  filename: string
  page: number | null
  headingPath: string[]
}) {
  return (
    <div className="passage-meta">
      <span className="passage-file">{filename}</span>
      {page !== null && page !== undefined && <span>page {page}</span>}
      {headingPath.length > 0 && <span className="passage-headings">{headingPath.join(' › ')}</span>}
    </div>
  )
}
