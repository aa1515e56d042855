import type { Chat } from '../api/types'
import { href } from '../lib/router'

interface ChatListProps {
  chats: Chat[]
  selectedId: string | null
  /** What the search box holds; non-empty means `chats` are the matches. */
  query: string
  onQueryChange(query: string): void
  /** Still waiting for the server's matches to `query`. */
  searching: boolean
}

export function ChatList({ chats, selectedId, query, onQueryChange, searching }: ChatListProps) {
  const searched = query.trim() !== ''
  return (
    <>
      <form role="search" className="chat-search" onSubmit={(e) => e.preventDefault()}>
        <label htmlFor="chat-search-input" className="visually-hidden">
          Search chats
        </label>
        <input
          id="chat-search-input"
          type="search"
          placeholder="Search chats…"
          value={query}
          maxLength={200}
          onChange={(e) => onQueryChange(e.target.value)}
          onKeyDown={(e) => e.key === 'Escape' && onQueryChange('')}
          data-testid="chat-search"
        />
      </form>
      {searched && (
        <p className="muted small chat-search-status" aria-live="polite" data-testid="chat-search-status">
          {searching ? 'Searching…' : `${chats.length === 0 ? 'No' : chats.length} chat${chats.length === 1 ? '' : 's'} found`}
        </p>
      )}
      {chats.length === 0 && !searched && <p className="empty small">No chats yet.</p>}
      <ul className="chat-list" data-testid="chat-list">
        {chats.map((chat) => (
          <li key={chat.id}>
            <a
              className="chat-link"
              href={href({ page: 'chats', chatId: chat.id })}
              aria-current={chat.id === selectedId ? 'page' : undefined}
              data-testid="chat-link"
              data-chat-id={chat.id}
              data-pinned={chat.pinned ? 'true' : undefined}
            >
              {chat.pinned && (
                <span className="pin-mark" title="Pinned">
                  <span aria-hidden="true">📌</span>
                  <span className="visually-hidden">Pinned:</span>
                </span>
              )}
              <span className="chat-link-title">{chat.title}</span>
              <span className={`stage-tag stage-${chat.stage}`}>{chat.stage === 'answering' ? 'docs' : 'test'}</span>
            </a>
          </li>
        ))}
      </ul>
    </>
  )
}
