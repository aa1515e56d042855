/** What kind of document a file is, from its name: the server accepts a file only when name and content agree. */
export type DocumentKind = 'pdf' | 'markdown' | 'html' | 'text' | 'docx'

const BY_EXTENSION: Record<string, DocumentKind> = {
  pdf: 'pdf',
  md: 'markdown',
  markdown: 'markdown',
  html: 'html',
  htm: 'html',
  txt: 'text',
  text: 'text',
  docx: 'docx',
}

export function documentKind(filename: string): DocumentKind {
  const dot = filename.lastIndexOf('.')
  return BY_EXTENSION[dot >= 0 ? filename.slice(dot + 1).toLowerCase() : ''] ?? 'text'
}
