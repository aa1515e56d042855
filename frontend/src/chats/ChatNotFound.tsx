/** Shown instead of a chat that does not exist for this person: no composer, no reconnecting, a way back. */
import { useEffect, useRef } from 'react'

export function ChatNotFound() {
  const heading = useRef<HTMLHeadingElement>(null)
  useEffect(() => {
    heading.current?.focus({ preventScroll: true })
  }, [])
  return (
    <section className="chat-view" aria-labelledby="chat-missing-title" data-testid="chat-not-found">
      <div className="messages" data-testid="messages">
        <div className="chat-missing" role="alert">
          <h1 id="chat-missing-title" ref={heading} tabIndex={-1} className="chat-empty-title">
            Chat not found
          </h1>
          <p className="muted">It may have been deleted, or it belongs to another account.</p>
          <a href="#/chats" className="button button-primary" data-testid="back-to-chats">
            Back to your chats
          </a>
        </div>
      </div>
    </section>
  )
}
