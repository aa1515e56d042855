/** The chat's title with rename, pin and delete, and room for the stage switch and connection indicator. */
import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react'
import { describeError } from '../api/errors'

interface ChatHeaderProps {
  title: string
  pinned: boolean
  onRename(title: string): Promise<void>
  onTogglePin(): void
  onDelete(): void
  children: ReactNode
}

export function ChatHeader({ title, pinned, onRename, onTogglePin, onDelete, children }: ChatHeaderProps) {
  const [editing, setEditing] = useState(false)
  const [draft, setDraft] = useState(title)
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const heading = useRef<HTMLHeadingElement>(null)

  // Back on the title after renaming (opening a chat puts focus in its composer instead: see ChatView).
  const wasEditing = useRef(false)
  useEffect(() => {
    if (!editing && wasEditing.current) heading.current?.focus({ preventScroll: true })
    wasEditing.current = editing
  }, [editing])

  const save = async (e: FormEvent) => {
    e.preventDefault()
    const next = draft.trim()
    if (!next || next === title) return setEditing(false)
    setBusy(true)
    try {
      await onRename(next)
      setEditing(false)
      setError(null)
    } catch (err) {
      setError(describeError(err))
    } finally {
      setBusy(false)
    }
  }

  return (
    <header className="chat-header">
      <div className="chat-title-row">
        <a href="#/chats" className="back-link" aria-label="All chats">
          ←
        </a>
        {editing ? (
          <form className="rename-form" onSubmit={save}>
            <label htmlFor="rename-input" className="visually-hidden">
              Chat title
            </label>
            <input
              id="rename-input"
              data-testid="rename-input"
              value={draft}
              maxLength={200}
              autoFocus
              onChange={(e) => setDraft(e.target.value)}
              onKeyDown={(e) => e.key === 'Escape' && setEditing(false)}
              aria-invalid={Boolean(error)}
            />
            <button type="submit" className="button button-small button-primary" disabled={busy}>
              Save
            </button>
            <button type="button" className="button button-small button-quiet" onClick={() => setEditing(false)}>
              Cancel
            </button>
            {error && <span className="field-error" role="alert">{error}</span>}
          </form>
        ) : (
          <>
            <h1 ref={heading} className="chat-title" tabIndex={-1} data-testid="chat-title">
              {title || 'Chat'}
            </h1>
            <div className="chat-title-actions">
              <button
                type="button"
                className="button button-small button-quiet"
                data-testid="rename-chat"
                onClick={() => {
                  setDraft(title)
                  setError(null)
                  setEditing(true)
                }}
              >
                Rename
              </button>
              <button
                type="button"
                className="button button-small button-quiet"
                data-testid="pin-chat"
                onClick={onTogglePin}
              >
                {pinned ? 'Unpin' : 'Pin'}
              </button>
              <button type="button" className="button button-small button-quiet" data-testid="delete-chat" onClick={onDelete}>
                Delete
              </button>
            </div>
          </>
        )}
      </div>
      <div className="chat-controls">{children}</div>
    </header>
  )
}
