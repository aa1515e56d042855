/** Chats: the list on the left (or alone on a phone), the open chat on the right. */
import { useEffect, useState } from 'react'
import { describeError } from '../api/errors'
import { ChatList } from '../chats/ChatList'
import { ChatView } from '../chats/ChatView'
import { ChatWelcome } from '../chats/ChatWelcome'
import { useChats } from '../chats/useChats'
import { Alert } from '../components/Alert'
import { useConfirm } from '../components/useConfirm'
import { navigate } from '../lib/router'

export function ChatsPage({ chatId }: { chatId: string | null }) {
  const { chats, error, load, create, rename, pin, remove, replace, query, setQuery, found } = useChats()
  const [confirm, confirmDialog] = useConfirm()
  const [actionError, setActionError] = useState<string | null>(null)
  const [creating, setCreating] = useState(false)
  const chat = chats?.find((c) => c.id === chatId) ?? null

  useEffect(() => {
    document.title = chat ? `${chat.title} · ragchat` : 'Chats · ragchat'
  }, [chat])

  const newChat = async () => {
    setCreating(true)
    setActionError(null)
    try {
      const created = await create()
      navigate({ page: 'chats', chatId: created.id })
    } catch (err) {
      setActionError(describeError(err))
    } finally {
      setCreating(false)
    }
  }

  const pinChat = async (pinned: boolean) => {
    if (!chatId) return
    setActionError(null)
    try {
      await pin(chatId, pinned)
    } catch (err) {
      setActionError(describeError(err))
    }
  }

  const deleteChat = async () => {
    if (!chatId) return
    const ok = await confirm({
      title: 'Delete chat?',
      message: `“${chat?.title ?? 'This chat'}” and all its messages will be deleted. This cannot be undone.`,
      confirmLabel: 'Delete chat',
    })
    if (!ok) return
    try {
      await remove(chatId)
      navigate({ page: 'chats', chatId: null }, true)
    } catch (err) {
      setActionError(describeError(err))
    }
  }

  return (
    <div className={chatId ? 'chats-layout has-chat' : 'chats-layout'}>
      <aside className="chat-sidebar" aria-label="Chats">
        <div className="sidebar-head">
          {chatId ? <h2 className="sidebar-title">Chats</h2> : <h1 className="sidebar-title" tabIndex={-1}>Chats</h1>}
          <button type="button" className="button button-primary button-small" onClick={newChat} disabled={creating} data-testid="new-chat">
            + New chat
          </button>
        </div>
        {(error || actionError) && (
          <Alert actions={<button type="button" className="button button-small" onClick={() => void load()}>Retry</button>}>
            {actionError ?? error}
          </Alert>
        )}
        {chats ? (
          <ChatList
            chats={query.trim() ? (found ?? []) : chats}
            selectedId={chatId}
            query={query}
            onQueryChange={setQuery}
            searching={query.trim() !== '' && found === null}
          />
        ) : (
          !error && <p className="muted small">Loading chats…</p>
        )}
      </aside>
      <div className="chat-main">
        {chatId ? (
          <ChatView
            key={chatId}
            chatId={chatId}
            chat={chat}
            onRename={(title) => rename(chatId, title)}
            onTogglePin={() => pinChat(!chat?.pinned)}
            onDelete={deleteChat}
            onStageChanged={(stage) => chat && replace({ ...chat, stage })}
            onChatChanged={replace}
            onTitleChanged={(title) => chat && replace({ ...chat, title })}
          />
        ) : (
          <ChatWelcome onNewChat={newChat} creating={creating} />
        )}
      </div>
      {confirmDialog}
    </div>
  )
}
