import type { Citation } from '../api/types'

/** `[n]` in an answer: a button that opens the cited passage, or a placeholder until the citation frame arrives.
 * Not a Tab stop: the answer's Sources list offers every cited passage to the keyboard once, so a long chat does
 * not cost a stop per `[n]` on the way to the composer. */
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
      tabIndex={-1}
      data-testid="citation-chip"
      data-n={n}
      aria-label={`Source ${n}: ${citation.filename}${citation.page ? `, page ${citation.page}` : ''}`}
      onClick={() => onOpen?.(citation)}
    >
      {n}
    </button>
  )
}
