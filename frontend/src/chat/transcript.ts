/**
 * What the message view shows, as a pure reducer over HTTP history pages, local sends and WebSocket frames.
 * Keeping it pure lets it be tested without a browser and keeps the React hook thin.
 */
import type { ChatHistory, Citation, MessageDto, Stage } from '../api/types'
import type { ErrorFrame, SeqFrame } from '../ws/frames'
import { readableError } from './errorText'

export type ViewStatus = 'sending' | 'pending' | 'streaming' | 'complete' | 'interrupted' | 'failed'

export interface TurnError {
  code: string
  message: string
  retryable: boolean
}

export interface ViewMessage {
  key: string
  id: string | null
  clientMsgId: string | null
  role: 'user' | 'assistant'
  content: string
  status: ViewStatus
  citations: Citation[]
  error: TurnError | null
  position: number | null
  /** On an answer: the question it answers. */
  replyTo: string | null
  /** The person pressed Stop while this answer streamed: its end is an interruption, not a completion. */
  stopped: boolean
  /** On a question this tab sent as an edit or a regenerate: the question it replaces (a Retry sends it so again). */
  replaces?: string | null
}

export interface Transcript {
  messages: ViewMessage[]
  nextBefore: number | null
  stage: Stage | null
  /** The chat's title as history or a `title_changed` frame last said (null until history loads). */
  title: string | null
  /** An error frame that names no message we know of. */
  banner: TurnError | null
  /** Frames referred to something we could not show completely: reload history. */
  reloadNeeded: boolean
  /** Messages an edit or regenerate replaced (a `replaced` frame): frames about them are ignored. */
  replaced: ReadonlySet<string>
}

export type TranscriptAction =
  | { type: 'history'; history: ChatHistory }
  | { type: 'older'; history: ChatHistory }
  | { type: 'send'; clientMsgId: string; text: string; replaces?: string | null }
  | { type: 'frame'; frame: SeqFrame | ErrorFrame }
  | { type: 'rejected'; clientMsgId: string; reason: string }
  | { type: 'retry'; clientMsgId: string }
  | { type: 'stop_requested' }
  | { type: 'stage'; stage: Stage }
  | { type: 'dismiss_banner' }

export const emptyTranscript: Transcript = {
  messages: [],
  nextBefore: null,
  stage: null,
  title: null,
  banner: null,
  reloadNeeded: false,
  replaced: new Set(),
}

function fromDto(m: MessageDto): ViewMessage {
  return {
    key: m.id,
    id: m.id,
    clientMsgId: m.client_msg_id,
    role: m.role,
    content: m.content,
    status: m.status,
    citations: [...m.citations].sort((a, b) => a.n - b.n),
    error: m.error && m.error.code !== 'stopped' ? { ...m.error, message: readableError(m.error.code, m.error.message) } : null,
    position: m.position,
    replyTo: m.reply_to ?? null,
    stopped: m.error?.code === 'stopped',
  }
}

function assistant(id: string, replyTo: string | null): ViewMessage {
  const base = { id, clientMsgId: null, content: '', citations: [], error: null, position: null, stopped: false }
  return { ...base, key: id, role: 'assistant', status: 'streaming', replyTo }
}

/** A failed turn shows its error once: on its partial answer when there is one, else on the question (with Retry). */
function errorsOnAnswers(list: ViewMessage[]): ViewMessage[] {
  const failed = new Map(list.filter((m) => m.role === 'user' && m.id && m.error).map((m) => [m.id!, m.error!]))
  const answeredIds = new Set<string>()
  const moved = list.map((m) => {
    if (m.role !== 'assistant' || m.status !== 'interrupted' || !m.replyTo || !failed.has(m.replyTo)) return m
    answeredIds.add(m.replyTo)
    return { ...m, error: failed.get(m.replyTo)! }
  })
  return moved.map((m) => (m.role === 'user' && m.id && answeredIds.has(m.id) ? { ...m, error: null } : m))
}

const update = (list: ViewMessage[], index: number, patch: Partial<ViewMessage>) =>
  list.map((m, i) => (i === index ? { ...m, ...patch } : m))

/** The oldest question still waiting: the inbox answers in order. */
const firstPending = (list: ViewMessage[]) => list.findIndex((m) => m.role === 'user' && m.status === 'pending')

function answered(list: ViewMessage[]): ViewMessage[] {
  const i = firstPending(list)
  return i < 0 ? list : update(list, i, { status: 'complete' })
}

function mergeHistory(state: Transcript, history: ChatHistory): Transcript {
  const page = history.messages.map(fromDto)
  const ids = new Set(page.map((m) => m.id))
  const clientIds = new Set(page.map((m) => m.clientMsgId).filter(Boolean))
  const first = page[0]?.position ?? Infinity
  const older = state.messages.filter((m) => m.position !== null && m.position < first && !ids.has(m.id))
  const local = state.messages.filter(
    (m) =>
      m.position === null &&
      !(m.id && ids.has(m.id)) &&
      !(m.clientMsgId && clientIds.has(m.clientMsgId)) &&
      (m.role === 'user' || m.status === 'streaming'),
  )
  return {
    ...state,
    messages: errorsOnAnswers([...older, ...page, ...local]),
    nextBefore: older.length ? state.nextBefore : history.next_before,
    stage: history.chat.stage,
    title: history.chat.title,
    reloadNeeded: false,
  }
}

/** Inserts a question another socket sent where its position puts it (after everything when unknown). */
function insertQuestion(list: ViewMessage[], m: ViewMessage): ViewMessage[] {
  const at = m.position === null ? -1 : list.findIndex((x) => x.position !== null && x.position > m.position!)
  return at < 0 ? [...list, m] : [...list.slice(0, at), m, ...list.slice(at)]
}

function applyAccepted(state: Transcript, frame: Extract<SeqFrame, { type: 'accepted' }>): Transcript {
  const list = state.messages
  const i = list.findIndex((m) => m.id === frame.message_id || (m.role === 'user' && m.clientMsgId === frame.client_msg_id))
  if (i < 0) {
    if (frame.text === undefined) return state
    const question: ViewMessage = {
      key: frame.message_id,
      id: frame.message_id,
      clientMsgId: frame.client_msg_id,
      role: 'user',
      content: frame.text,
      status: frame.status ?? 'pending',
      citations: [],
      error: null,
      position: frame.position ?? null,
      replyTo: null,
      stopped: false,
    }
    return { ...state, messages: insertQuestion(list, question) }
  }
  const m = list[i]!
  const waiting = m.status === 'sending' || m.status === 'failed'
  const status = frame.status ?? (waiting ? 'pending' : m.status)
  const queued = status === 'pending'
  const patch: Partial<ViewMessage> = { id: frame.message_id, position: frame.position ?? m.position, status }
  if (queued) patch.error = null
  return { ...state, messages: update(list, i, patch) }
}

function applyAnswerStarted(state: Transcript, frame: Extract<SeqFrame, { type: 'answer_started' }>): Transcript {
  if (state.messages.some((m) => m.id === frame.message_id)) return state // history already holds it
  // Answers are written one at a time per chat: one still shown streaming has ended.
  let list = state.messages.map((m) => (m.status === 'streaming' ? { ...m, status: 'interrupted' as const } : m))
  const q = list.findIndex((m) => m.id === frame.reply_to)
  if (q >= 0 && list[q]!.status !== 'complete') list = update(list, q, { status: 'pending', error: null })
  let at = q < 0 ? list.length : q + 1
  while (at < list.length && list[at]!.role === 'assistant' && list[at]!.replyTo === frame.reply_to) at += 1
  const answer = assistant(frame.message_id, frame.reply_to)
  return { ...state, messages: [...list.slice(0, at), answer, ...list.slice(at)] }
}

/**
 * Removes what an edit or regenerate replaced; the history no longer holds it either. An answer withdrawn
 * without its question is the loser of two answers written at once to one question (rare: the chat's lock was
 * lost); the winner may already show as interrupted here, so the history is reloaded to show what is stored.
 */
function applyReplaced(state: Transcript, ids: string[]): Transcript {
  const replaced = new Set([...state.replaced, ...ids])
  const withdrawn = state.messages.some(
    (m) => m.id && ids.includes(m.id) && m.role === 'assistant' && m.replyTo && !replaced.has(m.replyTo),
  )
  const messages = state.messages.filter((m) => !(m.id && replaced.has(m.id)))
  return { ...state, replaced, messages, reloadNeeded: state.reloadNeeded || withdrawn }
}

/** A frame about a message that was replaced: an answer to a replaced question, or such an answer's tokens. */
function aboutReplaced(state: Transcript, frame: SeqFrame | ErrorFrame): boolean {
  const gone = (id: string | null | undefined) => Boolean(id && state.replaced.has(id))
  switch (frame.type) {
    case 'accepted':
    case 'token':
    case 'citation':
      return gone(frame.message_id)
    case 'answer_started':
    case 'answer_done':
      return gone(frame.message_id) || gone(frame.reply_to)
    case 'error':
      return gone(frame.message_id)
    default:
      return false
  }
}

function applyFrame(state: Transcript, frame: SeqFrame | ErrorFrame): Transcript {
  const list = state.messages
  const byId = (id: string) => list.findIndex((m) => m.id === id)
  if (aboutReplaced(state, frame)) {
    // An answer that started for a replaced question is replaced with it: remember it, so its tokens are ignored too.
    return frame.type === 'answer_started' ? applyReplaced(state, [frame.message_id]) : state
  }
  switch (frame.type) {
    case 'replaced':
      return applyReplaced(state, frame.message_ids)
    case 'accepted':
      return applyAccepted(state, frame)
    case 'answer_started':
      return applyAnswerStarted(state, frame)
    case 'token':
    case 'citation': {
      let messages = list
      let i = byId(frame.message_id)
      if (i < 0) {
        // Only when the log lost the answer's start (docs/websocket.md): show what arrives.
        messages = [...answered(list), assistant(frame.message_id, null)]
        i = messages.length - 1
      }
      const m = messages[i]!
      if (m.status !== 'streaming') return state
      if (frame.type === 'token') messages = update(messages, i, { content: m.content + frame.text })
      else if (!m.citations.some((c) => c.n === frame.n)) {
        const { type: _t, seq: _s, message_id: _m, ...citation } = frame
        messages = update(messages, i, { citations: [...m.citations, citation].sort((a, b) => a.n - b.n) })
      }
      return { ...state, messages }
    }
    case 'answer_done': {
      const i = byId(frame.message_id)
      const replyTo = frame.reply_to ?? (i >= 0 ? list[i]!.replyTo : null)
      const q = replyTo ? byId(replyTo) : -1
      const questionDone = (l: ViewMessage[]) => (q >= 0 ? update(l, q, { status: 'complete', error: null }) : answered(l))
      if (i < 0) return { ...state, messages: questionDone(list), reloadNeeded: true }
      const m = list[i]!
      if (m.status !== 'streaming') return state
      const status = m.stopped ? 'interrupted' : 'complete'
      return { ...state, messages: questionDone(update(list, i, { status })) }
    }
    case 'stage_changed':
      return { ...state, stage: frame.stage }
    case 'title_changed':
      return { ...state, title: frame.title }
    case 'error':
      return applyError(state, frame)
    default:
      return state
  }
}

/**
 * Two kinds of error frame. Without a seq (or seq 0) it is about this socket's own input (rate limited, invalid):
 * the message it names was not taken and can be re-sent as it is; nothing else changed. With a seq it comes from
 * the chat's log: a turn failed, so its answer (named by `message_id`, or the one streaming) is interrupted, or,
 * when no answer had started, the question is settled and the banner says why.
 */
function applyError(state: Transcript, frame: ErrorFrame): Transcript {
  const list = state.messages
  const error = { code: frame.code, message: readableError(frame.code, frame.message), retryable: frame.retryable }
  const question = frame.client_msg_id ? list.findIndex((m) => m.role === 'user' && m.clientMsgId === frame.client_msg_id) : -1
  if (!(typeof frame.seq === 'number' && frame.seq > 0)) {
    if (question >= 0 && list[question]!.id === null) {
      return { ...state, messages: update(list, question, { status: 'failed', error }) }
    }
    return { ...state, banner: error }
  }
  const stopped = frame.code === 'stopped'
  const named = frame.message_id ? list.findIndex((m) => m.id === frame.message_id) : -1
  const answer = named >= 0 ? named : list.findLastIndex((m) => m.role === 'assistant' && m.status === 'streaming')
  if (answer >= 0 && list[answer]!.status !== 'streaming') return state // that answer already ended (a replayed frame)
  const waiting = question >= 0 ? question : firstPending(list)
  let messages = list
  if (answer >= 0 && !list[answer]!.content) {
    // Nothing was written, so nothing is stored: drop the empty answer, as a reopened chat will not have it.
    messages = list.filter((_, i) => i !== answer)
    const q = waiting > answer ? waiting - 1 : waiting
    if (q < 0) return { ...state, messages, banner: stopped ? null : error }
    return { ...state, messages: update(messages, q, { status: 'interrupted', error: stopped ? null : error }) }
  }
  if (answer >= 0) {
    messages = update(messages, answer, { status: 'interrupted', error: stopped ? null : error, stopped })
    if (waiting >= 0) messages = update(messages, waiting, { status: 'interrupted', error: null })
    return { ...state, messages }
  }
  if (waiting < 0) return { ...state, banner: stopped ? null : error }
  // No answer had started: the question itself failed; it shows why, with Retry when a retry can help.
  messages = update(messages, waiting, { status: 'interrupted', error: stopped ? null : error })
  return { ...state, messages }
}

export function transcriptReducer(state: Transcript, action: TranscriptAction): Transcript {
  switch (action.type) {
    case 'history':
      return mergeHistory(state, action.history)
    case 'older': {
      const known = new Set(state.messages.map((m) => m.id))
      const page = action.history.messages.map(fromDto).filter((m) => !known.has(m.id))
      return { ...state, messages: [...page, ...state.messages], nextBefore: action.history.next_before }
    }
    case 'send': {
      const m: ViewMessage = {
        key: action.clientMsgId,
        id: null,
        clientMsgId: action.clientMsgId,
        role: 'user',
        content: action.text,
        status: 'sending',
        citations: [],
        error: null,
        position: null,
        replyTo: null,
        stopped: false,
        replaces: action.replaces ?? null,
      }
      return { ...state, messages: [...state.messages, m], banner: null }
    }
    case 'frame':
      return applyFrame(state, action.frame)
    case 'rejected': {
      const i = state.messages.findIndex((m) => m.clientMsgId === action.clientMsgId)
      if (i < 0) return state
      const error = { code: 'too_big', message: action.reason, retryable: false }
      return { ...state, messages: update(state.messages, i, { status: 'failed', error }) }
    }
    case 'retry': {
      const i = state.messages.findIndex((m) => m.clientMsgId === action.clientMsgId)
      if (i < 0) return state
      return { ...state, messages: update(state.messages, i, { status: 'sending', error: null }) }
    }
    case 'stop_requested':
      return { ...state, messages: state.messages.map((m) => (m.status === 'streaming' ? { ...m, stopped: true } : m)) }
    case 'stage':
      return { ...state, stage: action.stage }
    case 'dismiss_banner':
      return { ...state, banner: null }
  }
}

/** True while a question waits for, or is receiving, its answer. */
export function isAnswering(t: Transcript): boolean {
  return t.messages.some((m) => m.status === 'streaming' || (m.role === 'user' && (m.status === 'pending' || m.status === 'sending')))
}

/** The question an assistant message answered (the nearest user message before it). */
export function questionBefore(t: Transcript, key: string): ViewMessage | null {
  const i = t.messages.findIndex((m) => m.key === key)
  for (let j = i - 1; j >= 0; j--) if (t.messages[j]!.role === 'user') return t.messages[j]!
  return null
}
