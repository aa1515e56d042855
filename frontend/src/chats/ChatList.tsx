import type { Chat } from '../api/types'
import { href } from '../lib/router'

export function ChatList({ chats, selectedId }: { chats: Chat[]; selectedId: string | null }) {
  if (chats.length === 0) return <p className="empty small">No chats yet.</p>
  return (
    <ul className="chat-list" data-testid="chat-list">
      {chats.map((chat) => (
        <li key={chat.id}>
          <a
            className="chat-link"
            href={href({ page: 'chats', chatId: chat.id })}
            aria-current={chat.id === selectedId ? 'page' : undefined}
            data-testid="chat-link"
            data-chat-id={chat.id}
          >
            <span className="chat-link-title">{chat.title}</span>
            <span className={`stage-tag stage-${chat.stage}`}>{chat.stage === 'answering' ? 'docs' : 'test'}</span>
          </a>
        </li>
      ))}
    </ul>
  )
}
