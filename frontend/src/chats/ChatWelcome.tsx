/** What the chats page shows before a chat is picked, with a pointer to uploads only for people who have none. */
import { useEffect, useState } from 'react'
import { documentsApi } from '../api/endpoints'

/** Whether the person has any documents: `null` until known; a failed check counts as "has some" (no nagging). */
function useHasDocuments(): boolean | null {
  const [has, setHas] = useState<boolean | null>(null)
  useEffect(() => {
    const controller = new AbortController()
    documentsApi
      .list(controller.signal)
      .then((docs) => setHas(docs.length > 0))
      .catch(() => !controller.signal.aborted && setHas(true))
    return () => controller.abort()
  }, [])
  return has
}

export function ChatWelcome({ onNewChat, creating }: { onNewChat(): void; creating: boolean }) {
  const hasDocuments = useHasDocuments()
  // Rendered once the check settled, so the panel does not change shape under the reader (or a screenshot).
  if (hasDocuments === null) return <div className="chat-welcome" aria-busy="true" />
  return (
    <div className="chat-welcome">
      <p className="chat-empty-title">Pick a chat or start a new one</p>
      <p className="muted">
        In the <strong>Answering</strong> stage, answers come from your ready documents with numbered sources. The{' '}
        <strong>Test</strong> stage is a free chat with the model.
      </p>
      {!hasDocuments && (
        <p className="muted" data-testid="no-documents-hint">
          No documents yet? <a href="#/documents">Upload some first</a>.
        </p>
      )}
      <button type="button" className="button button-primary" onClick={onNewChat} disabled={creating}>
        Start a new chat
      </button>
    </div>
  )
}
