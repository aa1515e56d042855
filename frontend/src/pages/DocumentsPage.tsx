import { useState } from 'react'
import { describeError } from '../api/errors'
import type { DocumentDto } from '../api/types'
import { Alert } from '../components/Alert'
import { PageHeading } from '../components/PageHeading'
import { useConfirm } from '../components/useConfirm'
import { AddWebPage } from '../documents/AddWebPage'
import { DocumentList } from '../documents/DocumentList'
import { SearchPanel } from '../documents/SearchPanel'
import { UploadZone } from '../documents/UploadZone'
import { useDocuments } from '../documents/useDocuments'
import { useUploads } from '../documents/useUploads'
import { DocumentViewer } from '../viewer/DocumentViewer'

export function DocumentsPage() {
  const { documents, error, refresh, added, changed, remove } = useDocuments()
  const uploads = useUploads(added)
  const [confirm, confirmDialog] = useConfirm()
  const [actionError, setActionError] = useState<string | null>(null)
  const [viewing, setViewing] = useState<DocumentDto | null>(null)

  const onDelete = async (doc: DocumentDto) => {
    const ok = await confirm({
      title: 'Delete document?',
      message: `“${doc.filename}” and its indexed passages will be removed. Answers can no longer cite it.`,
      confirmLabel: 'Delete',
    })
    if (!ok) return
    try {
      setActionError(null)
      await remove(doc.id)
    } catch (err) {
      setActionError(describeError(err))
    }
  }

  return (
    <>
      <PageHeading>Documents</PageHeading>
      <div className="documents-layout">
        <div className="stack">
          <UploadZone items={uploads.items} onFiles={uploads.add} onRetry={uploads.retry} onDismiss={uploads.dismiss} />
          <AddWebPage onAdded={added} />
          <section className="card" aria-labelledby="library-title">
            <h2 id="library-title" className="card-title">
              Your documents
            </h2>
            {(error || actionError) && (
              <Alert
                actions={
                  <button type="button" className="button button-small" onClick={() => void refresh()}>
                    Retry
                  </button>
                }
              >
                {actionError ?? error}
              </Alert>
            )}
            {documents === null ? (
              !error && <p className="muted">Loading documents…</p>
            ) : (
              <DocumentList documents={documents} onDelete={onDelete} onChanged={changed} onView={setViewing} />
            )}
          </section>
        </div>
        <SearchPanel />
      </div>
      {confirmDialog}
      {viewing && (
        <DocumentViewer
          target={{ documentId: viewing.id, filename: viewing.filename, page: null, headingPath: [], passage: null }}
          onClose={() => setViewing(null)}
        />
      )}
    </>
  )
}
