/** One open chat: header (title, stage, connection), the streamed conversation and the composer. */
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react'
import type { Chat, Citation, Stage } from '../api/types'
import { isAnswering, questionBefore, type ViewMessage } from '../chat/transcript'
import { useChatSession } from '../chat/useChatSession'
import { Alert } from '../components/Alert'
import { CitationPanel } from '../components/CitationPanel'
import { ConnectionIndicator } from '../components/ConnectionIndicator'
import { ChatHeader } from './ChatHeader'
import { ChatNotFound } from './ChatNotFound'
import { Composer } from './Composer'
import { MessageBubble } from './MessageBubble'
import { ScopeControl } from './ScopeControl'
import { SettingsControl } from './SettingsControl'
import { StageSwitch } from './StageSwitch'

interface ChatViewProps {
  chatId: string
  chat: Chat | null
  onRename(title: string): Promise<void>
  onTogglePin(): void
  onDelete(): void
  onStageChanged(stage: Stage): void
  onChatChanged(chat: Chat): void
  /** The server says the title changed (generated from the first question, or renamed in another tab). */
  onTitleChanged(title: string): void
}

export function ChatView(props: ChatViewProps) {
  const { chatId, chat, onRename, onTogglePin, onDelete, onStageChanged, onChatChanged, onTitleChanged } = props
  const s = useChatSession(chatId)
  const { transcript, status } = s
  const [citation, setCitation] = useState<Citation | null>(null)
  const [stageError, setStageError] = useState<string | null>(null)
  const stage = transcript.stage ?? chat?.stage ?? null
  const answering = isAnswering(transcript)
  const connected = status.state === 'open'
  const scroller = useRef<HTMLDivElement>(null)
  const pinned = useRef(true)
  const knownTitle = chat?.title

  useEffect(() => {
    if (transcript.title && knownTitle !== undefined && transcript.title !== knownTitle) onTitleChanged(transcript.title)
    // Only a new title from the server matters; the list's own changes (a rename here) are already in `chat`.
  }, [transcript.title])

  // Follow the conversation while the reader is at the bottom; leave them alone when they scrolled up.
  useLayoutEffect(() => {
    const el = scroller.current
    if (el && pinned.current) el.scrollTop = el.scrollHeight
  }, [transcript.messages])

  const changeStage = async (next: Stage) => {
    setStageError(null)
    const error = await s.setStage(next, stage)
    if (error) setStageError(error)
    else onStageChanged(next)
  }

  const retry = useCallback(
    (m: ViewMessage) => m.clientMsgId && s.retry(m.clientMsgId, m.content, m.replaces),
    [s.retry],
  )
  const edit = useCallback((m: ViewMessage, text: string) => m.id && s.edit(m.id, text), [s.edit])
  const askAgain = useCallback(
    (m: ViewMessage) => {
      const question = questionBefore(transcript, m.key)
      if (question) s.send(question.content)
    },
    [transcript, s.send],
  )
  const lastQuestion = [...transcript.messages].reverse().find((m) => m.role === 'user')
  // Regenerate sits on the answers to the last question, once it has been answered or has failed.
  const canRegenerate = Boolean(lastQuestion?.id) && !answering
  const regenerate = useCallback(
    (m: ViewMessage) => {
      const question = transcript.messages.find((q) => q.role === 'user' && q.id === m.replyTo)
      if (question?.id) s.regenerate(question.id, question.content)
    },
    [transcript.messages, s.regenerate],
  )
  const composer = useRef<HTMLTextAreaElement>(null)

  // Opening a chat puts the keyboard where the conversation goes on: the composer.
  useEffect(() => {
    composer.current?.focus({ preventScroll: true })
  }, [])

  if (s.notFound) return <ChatNotFound />

  return (
    <section className="chat-view" aria-label={chat?.title ?? 'Chat'}>
      <a
        className="skip-link"
        href="#chat-input"
        onClick={(e) => {
          e.preventDefault()
          composer.current?.focus()
        }}
        data-testid="skip-to-composer"
      >
        Skip to the message box
      </a>
      <ChatHeader
        title={chat?.title ?? ''}
        pinned={Boolean(chat?.pinned)}
        onRename={onRename}
        onTogglePin={onTogglePin}
        onDelete={onDelete}
      >
        <StageSwitchWithError stage={stage} onChange={changeStage} error={stageError} />
        {stage !== 'test' && <ScopeControl chat={chat} onChanged={onChatChanged} />}
        <SettingsControl chat={chat} onChanged={onChatChanged} />
        <ConnectionIndicator status={status} onReconnect={s.reconnect} />
      </ChatHeader>
      <div
        className="messages"
        ref={scroller}
        onScroll={(e) => {
          const el = e.currentTarget
          pinned.current = el.scrollHeight - el.scrollTop - el.clientHeight < 48
        }}
        role="log"
        aria-label="Messages"
        aria-busy={answering}
        tabIndex={0}
        data-testid="messages"
      >
        {s.loadError && <Alert>{s.loadError}</Alert>}
        {transcript.nextBefore !== null && (
          <button type="button" className="button button-quiet load-older" onClick={() => void s.loadOlder()}>
            Load earlier messages
          </button>
        )}
        {transcript.messages.length === 0 && !s.loadError && (
          <div className="empty chat-empty">
            <p className="chat-empty-title">{stage === 'test' ? 'Free chat with the model' : 'Ask about your documents'}</p>
            <p className="muted">
              {stage === 'test'
                ? 'Test stage: answers come from the model alone, no documents are searched.'
                : 'Answering stage: answers cite passages from your ready documents. Click a number to read the source.'}
            </p>
          </div>
        )}
        {transcript.messages.map((m) => (
          <MessageBubble
            key={m.key}
            message={m}
            connected={connected}
            onOpenCitation={setCitation}
            onRetry={retry}
            onAskAgain={askAgain}
            onEdit={edit}
            onRegenerate={canRegenerate && m.role === 'assistant' && m.replyTo === lastQuestion?.id ? regenerate : undefined}
          />
        ))}
        {transcript.banner && (
          <Alert
            testId="chat-error"
            actions={
              <>
                {transcript.banner.retryable && lastQuestion && (
                  <button type="button" className="button button-small" onClick={() => s.send(lastQuestion.content)}>
                    Retry
                  </button>
                )}
                <button type="button" className="button button-small button-quiet" onClick={s.dismissBanner}>
                  Dismiss
                </button>
              </>
            }
          >
            {transcript.banner.message}
          </Alert>
        )}
      </div>
      <Composer
        inputRef={composer}
        onSend={s.send}
        onStop={s.stop}
        answering={answering}
        stopping={s.stopping}
        canStop={connected}
        placeholder={stage === 'test' ? 'Message the model…' : 'Ask a question about your documents…'}
      />
      {citation && <CitationPanel citation={citation} onClose={() => setCitation(null)} />}
    </section>
  )
}

function StageSwitchWithError({ stage, onChange, error }: { stage: Stage | null; onChange(s: Stage): void; error: string | null }) {
  return (
    <div className="stage-area">
      <StageSwitch stage={stage} onChange={onChange} />
      {error && (
        <span className="field-error" role="alert">
          {error}
        </span>
      )}
    </div>
  )
}
