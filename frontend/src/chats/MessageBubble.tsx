import { memo, useState } from 'react'
import type { Citation } from '../api/types'
import { Markdown } from '../components/Markdown'
import type { ViewMessage } from '../chat/transcript'
import { AnswerActions } from './AnswerActions'
import { QuestionEditor } from './QuestionEditor'

interface MessageBubbleProps {
  message: ViewMessage
  connected: boolean
  onOpenCitation(citation: Citation): void
  /** Re-send a question the server did not take, or whose turn failed, with the same client_msg_id. */
  onRetry(message: ViewMessage): void
  /** Ask the question behind an interrupted answer again. */
  onAskAgain(message: ViewMessage): void
  /** Edit-and-resend a question (absent: not editable now). */
  onEdit?(message: ViewMessage, text: string): void
  /** Answer again: only on the answer to the chat's last question. */
  onRegenerate?(message: ViewMessage): void
}

export const MessageBubble = memo(function MessageBubble(props: MessageBubbleProps) {
  return props.message.role === 'user' ? <UserBubble {...props} /> : <AnswerBubble {...props} />
})

function UserBubble({ message, connected, onRetry, onEdit }: MessageBubbleProps) {
  const [editing, setEditing] = useState(false)
  if (editing && onEdit) {
    return (
      <div className="msg msg-user msg-editing" data-testid="user-message" data-status={message.status}>
        <QuestionEditor
          text={message.content}
          onCancel={() => setEditing(false)}
          onSend={(text) => {
            setEditing(false)
            onEdit(message, text)
          }}
        />
      </div>
    )
  }
  const editable = Boolean(onEdit && message.id && connected && message.status !== 'sending')
  // The Edit button sits under the bubble, not in it: the bubble holds exactly what was asked.
  return (
    <div className="msg-group">
      <div
        className="msg msg-user"
        data-testid="user-message"
        data-status={message.status}
        data-message-id={message.id ?? undefined}
      >
        <p className="msg-text">{message.content}</p>
        {message.status === 'sending' && (
          <p className="msg-meta">{connected ? 'Sending…' : 'Will send when the connection is back'}</p>
        )}
        {message.status === 'failed' && (
          <div className="msg-meta msg-error" role="alert">
            Not sent. {message.error?.message ?? 'The server refused it.'}
            {message.error?.retryable && (
              <button type="button" className="link-button" onClick={() => onRetry(message)} data-testid="retry-question">
                Retry
              </button>
            )}
          </div>
        )}
        {message.status === 'interrupted' && message.error && (
          <div className="msg-meta msg-error" role="alert" data-testid="question-error">
            No answer. {message.error.message}
            {message.error.retryable && (
              <button type="button" className="link-button" onClick={() => onRetry(message)} data-testid="retry-question">
                Retry
              </button>
            )}
          </div>
        )}
      </div>
      {editable && (
        <div className="msg-actions-user">
          <button
            type="button"
            className="link-button msg-edit"
            onClick={() => setEditing(true)}
            aria-label="Edit this question and send it again"
            data-testid="edit-question"
          >
            Edit
          </button>
        </div>
      )}
    </div>
  )
}

function AnswerBubble({ message, connected, onOpenCitation, onAskAgain, onRegenerate }: MessageBubbleProps) {
  const streaming = message.status === 'streaming'
  const canAskAgain = message.status === 'interrupted' && (message.error?.retryable ?? true)
  return (
    <div className="msg-group">
      <article
        className={`msg msg-assistant${streaming ? ' msg-streaming' : ''}`}
        data-testid="answer-bubble"
        data-status={message.status}
        data-message-id={message.id ?? undefined}
        aria-busy={streaming}
      >
        {message.content ? (
          <Markdown text={message.content} citations={message.citations} onOpenCitation={onOpenCitation} />
        ) : (
          streaming && <p className="typing" aria-label="Writing the answer">
            <span />
            <span />
            <span />
          </p>
        )}
        {message.citations.length > 0 && (
          <div className="sources">
            <span className="sources-label">Sources</span>
            <ul>
              {message.citations.map((c) => (
                <li key={c.n}>
                  <button
                    type="button"
                    className="source-button"
                    data-testid="citation-source"
                    onClick={() => onOpenCitation(c)}
                  >
                    <span className="cite-chip" aria-hidden="true">
                      {c.n}
                    </span>
                    {c.filename}
                    {c.page ? `, p. ${c.page}` : ''}
                  </button>
                </li>
              ))}
            </ul>
          </div>
        )}
        {message.status === 'interrupted' && (
          <div className="msg-meta msg-error" role={message.error ? 'alert' : undefined}>
            {message.error ? `The answer stopped. ${message.error.message}` : 'The answer was stopped.'}
            {canAskAgain && (
              <button type="button" className="link-button" onClick={() => onAskAgain(message)}>
                Ask again
              </button>
            )}
          </div>
        )}
      </article>
      {!streaming && message.content && (
        <AnswerActions
          text={message.content}
          onRegenerate={onRegenerate && (() => onRegenerate(message))}
          regenerateDisabled={!connected}
        />
      )}
    </div>
  )
}
