/**
 * What this tab added to or deleted from a list while a request for that list was on its way.
 *
 * A list response can be older than a change that finished after the request left (a busy server answers the
 * GET after the POST): replacing the list with it would hide a new document or bring back a deleted chat, and a
 * stale document list with nothing pending would never be polled again. So a tab stamps each load, remembers its
 * own additions and deletions, and lays those made after the stamp over the response.
 */
export type LocalEdit<T> = { kind: 'added'; item: T } | { kind: 'removed'; id: string }

const KEPT = 100

export class LocalEditLog<T extends { id: string }> {
  private seq = 0
  private edits: Array<{ seq: number; edit: LocalEdit<T> }> = []

  /** The stamp to take when a list request leaves. */
  mark(): number {
    return this.seq
  }

  added(item: T): void {
    this.push({ kind: 'added', item })
  }

  removed(id: string): void {
    this.push({ kind: 'removed', id })
  }

  /** The response of a request stamped `since`, with this tab's later edits applied in order. */
  over(fetched: T[], since: number): T[] {
    return applyLocalEdits(
      fetched,
      this.edits.filter((e) => e.seq > since).map((e) => e.edit),
    )
  }

  private push(edit: LocalEdit<T>): void {
    this.seq += 1
    this.edits.push({ seq: this.seq, edit })
    if (this.edits.length > KEPT) this.edits.splice(0, this.edits.length - KEPT)
  }
}

export function applyLocalEdits<T extends { id: string }>(fetched: T[], edits: readonly LocalEdit<T>[]): T[] {
  let list = fetched
  for (const edit of edits) {
    if (edit.kind === 'removed') list = list.filter((d) => d.id !== edit.id)
    else if (!list.some((d) => d.id === edit.item.id)) list = [edit.item, ...list]
  }
  return list
}
