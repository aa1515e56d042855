import type { Citation } from '../api/types'

/** `[n]` in an answer: a button that opens the cited passage, or a placeholder until the citation frame arrives. */
export function CitationChip({ n, citation, onOpen }: {
  n: number
  citation: Citation | null
  onOpen?(citation: Citation): void
}) {
  if (!citation) {
    return (
      <span className="cite-chip cite-chip-pending" title="Source details are on their way">
        {n}
      </span>
    )
  }
  return (
    <button
      type="button"
      className="cite-chip"
      data-testid="citation-chip"
      data-n={n}
      aria-label={`Source ${n}: ${citation.filename}${citation.page ? `, page ${citation.page}` : ''}`}
      onClick={() => onOpen?.(citation)}
    >
      {n}
    </button>
  )
}
