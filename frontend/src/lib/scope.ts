/**
 * A chat's document scope: the documents its answers may draw on (by id, and every document carrying one of the
 * tags). Both lists empty means all documents. Pure functions, so the header and the picker agree.
 */
import type { DocumentDto, DocumentScope } from '../api/types'

export const ALL_DOCUMENTS: DocumentScope = { document_ids: [], tags: [] }

export function isEverything(scope: DocumentScope | null | undefined): boolean {
  return !scope || (scope.document_ids.length === 0 && scope.tags.length === 0)
}

/** Tags as the backend stores them: trimmed, lower-cased, unique, in the order typed (comma-separated input). */
export function parseTags(input: string): string[] {
  const tags = input
    .split(',')
    .map((t) => t.trim().replace(/\s+/g, ' ').toLowerCase())
    .filter(Boolean)
  return [...new Set(tags)]
}

export function allTags(documents: DocumentDto[]): string[] {
  return [...new Set(documents.flatMap((d) => d.tags ?? []))].sort((a, b) => a.localeCompare(b))
}

export function toggled<T>(list: T[], value: T): T[] {
  return list.includes(value) ? list.filter((v) => v !== value) : [...list, value]
}

/** The documents a scope admits, among those known. */
export function admitted(scope: DocumentScope, documents: DocumentDto[]): DocumentDto[] {
  if (isEverything(scope)) return documents
  return documents.filter((d) => scope.document_ids.includes(d.id) || (d.tags ?? []).some((t) => scope.tags.includes(t)))
}

/** One line for the chat header: "All documents", "guide.pdf", "guide.pdf and 2 more", "tag manuals", … */
export function describeScope(scope: DocumentScope | null | undefined, documents: DocumentDto[] | null): string {
  if (!scope || isEverything(scope)) return 'All documents'
  const parts: string[] = []
  const ids = scope.document_ids
  if (ids.length > 0) {
    const first = documents?.find((d) => d.id === ids[0])?.filename
    if (ids.length === 1) parts.push(first ?? '1 document')
    else parts.push(first ? `${first} and ${ids.length - 1} more` : `${ids.length} documents`)
  }
  if (scope.tags.length > 0) {
    const quoted = scope.tags.map((t) => `“${t}”`).join(', ')
    parts.push(`${scope.tags.length === 1 ? 'tag' : 'tags'} ${quoted}`)
  }
  return parts.join(' + ')
}
