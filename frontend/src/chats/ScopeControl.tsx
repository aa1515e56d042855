/** Which documents this chat searches, shown in its header, with a picker to change it (documents and tags). */
import { useEffect, useState } from 'react'
import { chatsApi, documentsApi } from '../api/endpoints'
import { describeError } from '../api/errors'
import type { Chat, DocumentDto, DocumentScope } from '../api/types'
import { Dialog } from '../components/Dialog'
import { ALL_DOCUMENTS, admitted, allTags, describeScope, isEverything, toggled } from '../lib/scope'

export function ScopeControl({ chat, onChanged }: { chat: Chat | null; onChanged(chat: Chat): void }) {
  const [documents, setDocuments] = useState<DocumentDto[] | null>(null)
  const [picking, setPicking] = useState(false)
  const scope = chat?.scope ?? ALL_DOCUMENTS

  useEffect(() => {
    const abort = new AbortController()
    documentsApi.list(abort.signal).then(setDocuments, () => setDocuments(null))
    return () => abort.abort()
  }, [picking])

  return (
    <div className="scope-area">
      <span className="muted small">Searching</span>{' '}
      <button
        type="button"
        className={isEverything(scope) ? 'scope-button' : 'scope-button scope-limited'}
        data-testid="chat-scope"
        disabled={!chat}
        onClick={() => setPicking(true)}
        title="Choose the documents this chat's answers draw on"
      >
        {describeScope(scope, documents)}
      </button>
      {picking && chat && (
        <ScopePicker chat={chat} scope={scope} documents={documents ?? []} onClose={() => setPicking(false)} onSaved={onChanged} />
      )}
    </div>
  )
}

interface ScopePickerProps {
  chat: Chat
  scope: DocumentScope
  documents: DocumentDto[]
  onClose(): void
  onSaved(chat: Chat): void
}

function ScopePicker({ chat, scope, documents, onClose, onSaved }: ScopePickerProps) {
  const [draft, setDraft] = useState<DocumentScope>(scope)
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const tags = allTags(documents)
  const count = admitted(draft, documents).length

  const save = async (next: DocumentScope) => {
    setBusy(true)
    try {
      onSaved(await chatsApi.update(chat.id, { scope: next }))
      onClose()
    } catch (err) {
      setError(describeError(err))
    } finally {
      setBusy(false)
    }
  }

  return (
    <Dialog
      title="Documents this chat searches"
      onClose={onClose}
      testId="scope-dialog"
      footer={
        <>
          <button type="button" className="button button-quiet" onClick={() => void save(ALL_DOCUMENTS)} disabled={busy}>
            Use all documents
          </button>
          <button
            type="button"
            className="button button-primary"
            data-testid="save-scope"
            onClick={() => void save(draft)}
            disabled={busy}
          >
            Save
          </button>
        </>
      }
    >
      <p className="muted small">
        Answers cite only the documents chosen here. Choose none to search all of them.{' '}
        {isEverything(draft) ? `All ${documents.length} documents.` : `${count} of ${documents.length} documents.`}
      </p>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      {tags.length > 0 && (
        <fieldset className="scope-fieldset">
          <legend>Tags</legend>
          {tags.map((tag) => (
            <label key={tag} className="scope-option">
              <input
                type="checkbox"
                checked={draft.tags.includes(tag)}
                onChange={() => setDraft({ ...draft, tags: toggled(draft.tags, tag) })}
              />{' '}
              <span className="tag">{tag}</span>
            </label>
          ))}
        </fieldset>
      )}
      <fieldset className="scope-fieldset">
        <legend>Documents</legend>
        {documents.length === 0 && <p className="muted small">No documents yet.</p>}
        {documents.map((doc) => (
          <label key={doc.id} className="scope-option" data-testid="scope-document">
            <input
              type="checkbox"
              checked={draft.document_ids.includes(doc.id)}
              onChange={() => setDraft({ ...draft, document_ids: toggled(draft.document_ids, doc.id) })}
            />{' '}
            {doc.filename}
            {doc.status !== 'ready' && <span className="muted small"> ({doc.status})</span>}
          </label>
        ))}
      </fieldset>
    </Dialog>
  )
}
