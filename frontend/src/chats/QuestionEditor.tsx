/** Edit-and-resend in place: the question's text in a box; sending replaces it and drops what followed it. */
import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react'
import { MAX_MESSAGE_LENGTH } from './Composer'

interface QuestionEditorProps {
  text: string
  onSend(text: string): void
  onCancel(): void
}

export function QuestionEditor({ text, onSend, onCancel }: QuestionEditorProps) {
  const [draft, setDraft] = useState(text)
  const box = useRef<HTMLTextAreaElement>(null)
  const trimmed = draft.trim()
  const tooLong = draft.length > MAX_MESSAGE_LENGTH

  useEffect(() => {
    const el = box.current
    if (!el) return
    el.focus()
    el.setSelectionRange(el.value.length, el.value.length)
  }, [])

  const submit = (e?: FormEvent) => {
    e?.preventDefault()
    if (trimmed && !tooLong) onSend(trimmed)
  }
  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Escape') onCancel()
    else if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault()
      submit()
    }
  }

  return (
    <form className="question-editor" onSubmit={submit} data-testid="question-editor">
      <label className="visually-hidden" htmlFor="question-edit-input">
        Edit your question
      </label>
      <textarea
        id="question-edit-input"
        ref={box}
        value={draft}
        rows={Math.min(8, Math.max(2, draft.split('\n').length))}
        onChange={(e) => setDraft(e.target.value)}
        onKeyDown={onKeyDown}
        aria-invalid={tooLong}
        aria-describedby="question-edit-hint"
        data-testid="question-edit-input"
      />
      <p id="question-edit-hint" className="msg-meta">
        Sending replaces this question and removes everything after it, in every open tab.
      </p>
      <div className="question-editor-actions">
        <button type="button" className="button button-small button-quiet" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="button button-small button-primary" disabled={!trimmed || tooLong} data-testid="question-edit-send">
          Send
        </button>
      </div>
    </form>
  )
}
