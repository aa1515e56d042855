/** The message box: Enter sends, Shift+Enter adds a line; while an answer streams, Stop sits beside Send. */
import { useState, type FormEvent, type KeyboardEvent, type Ref } from 'react'

export const MAX_MESSAGE_LENGTH = 8000

interface ComposerProps {
  onSend(text: string): void
  onStop(): void
  answering: boolean
  stopping: boolean
  canStop: boolean
  placeholder: string
  inputRef?: Ref<HTMLTextAreaElement>
}

export function Composer({ onSend, onStop, answering, stopping, canStop, placeholder, inputRef }: ComposerProps) {
  const [text, setText] = useState('')
  const trimmed = text.trim()
  const tooLong = text.length > MAX_MESSAGE_LENGTH

  const submit = (e?: FormEvent) => {
    e?.preventDefault()
    if (!trimmed || tooLong) return
    onSend(trimmed)
    setText('')
  }

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault()
      submit()
    }
  }

  return (
    <form className="composer" onSubmit={submit} data-testid="composer">
      <label htmlFor="chat-input" className="visually-hidden">
        Message
      </label>
      <textarea
        id="chat-input"
        ref={inputRef}
        data-testid="chat-input"
        rows={1}
        value={text}
        placeholder={placeholder}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={onKeyDown}
        aria-describedby="chat-input-hint"
        aria-invalid={tooLong}
      />
      <span id="chat-input-hint" className="visually-hidden">
        Enter sends, Shift+Enter starts a new line.
      </span>
      {text.length > MAX_MESSAGE_LENGTH - 1000 && (
        <span className={tooLong ? 'counter counter-over' : 'counter'} aria-live="polite">
          {text.length}/{MAX_MESSAGE_LENGTH}
        </span>
      )}
      <div className="composer-actions">
        {answering && (
          <button
            type="button"
            className="button button-quiet"
            onClick={onStop}
            disabled={!canStop || stopping}
            data-testid="stop-button"
          >
            {stopping ? 'Stopping…' : 'Stop'}
          </button>
        )}
        <button type="submit" className="button button-primary" disabled={!trimmed || tooLong} data-testid="send-button">
          Send
        </button>
      </div>
    </form>
  )
}
