/** What the admin page says about a re-index: from the jobs the server still has queued, running or failed. */
import type { ReindexProgress } from '../api/types'

export function reindexActive(progress: ReindexProgress | null): boolean {
  return progress !== null && progress.queued + progress.running > 0
}

/** `started`: how many documents this page queued (null when it did not start the run it is watching). */
export function reindexStatusText(started: number | null, progress: ReindexProgress | null): string {
  if (progress === null) return started === null ? '' : `Re-indexing ${plural(started, 'document')}…`
  const left = progress.queued + progress.running
  const failed = progress.failed > 0 ? ` ${plural(progress.failed, 'document')} failed (see \`ragchat jobs\`).` : ''
  if (left === 0) {
    if (started === null) return failed.trim()
    if (started === 0) return 'There are no ready documents to re-index.'
    return `Re-index finished: ${plural(started, 'document')} re-embedded with the current embedder.${failed}`
  }
  if (started !== null && started >= left) {
    return `Re-indexing: ${started - left} of ${plural(started, 'document')} done.${failed}`
  }
  return `Re-indexing: ${plural(left, 'document')} to go.${failed}`
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`
}
