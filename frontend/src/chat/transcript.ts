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
  /** The answer was already streaming when we synced, so its beginning may be missing until history reloads. */
  joinedLate: boolean
  /** The person pressed Stop while this answer streamed: its end is an interruption, not a completion. */
  stopped: boolean
}

export interface Transcript {
  messages: ViewMessage[]
  nextBefore: number | null
  stage: Stage | null
  /** An error frame that names no message we know of. */
  banner: TurnError | null
  /** History ended with an unanswered question: the next unknown answer may have started before we synced. */
  expectingJoin: boolean
  /** Frames referred to something we could not show completely: reload history. */
  reloadNeeded: boolean
}

export type TranscriptAction =
  | { type: 'history'; history: ChatHistory }
  | { type: 'older'; history: ChatHistory }
  | { type: 'send'; clientMsgId: string; text: string }
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
  banner: null,
  expectingJoin: false,
  reloadNeeded: false,
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
    error: null,
    position: m.position,
    joinedLate: false,
    stopped: false,
  }
}

function assistant(id: string, joinedLate: boolean): ViewMessage {
  const base = { id, clientMsgId: null, content: '', citations: [], error: null, position: null, stopped: false }
  return { ...base, key: id, role: 'assistant', status: 'streaming', joinedLate }
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
  const last = page[page.length - 1]
  return {
    ...state,
    messages: [...older, ...page, ...local],
    nextBefore: older.length ? state.nextBefore : history.next_before,
    stage: history.chat.stage,
    expectingJoin: last?.role === 'user' && last.status === 'pending',
    reloadNeeded: false,
  }
}

function applyFrame(state: Transcript, frame: SeqFrame | ErrorFrame): Transcript {
  const list = state.messages
  const byId = (id: string) => list.findIndex((m) => m.id === id)
  switch (frame.type) {
    case 'accepted': {
      const i = list.findIndex((m) => m.clientMsgId === frame.client_msg_id)
      if (i < 0) return state
      const waiting = list[i]!.status === 'sending' || list[i]!.status === 'failed'
      return { ...state, messages: update(list, i, { id: frame.message_id, error: null, ...(waiting && { status: 'pending' }) }) }
    }
    case 'token':
    case 'citation': {
      let messages = list
      let i = byId(frame.message_id)
      let { expectingJoin } = state
      if (i < 0) {
        messages = [...answered(list), assistant(frame.message_id, expectingJoin)]
        expectingJoin = false
        i = messages.length - 1
      }
      const m = messages[i]!
      if (m.status !== 'streaming') return state
      if (frame.type === 'token') messages = update(messages, i, { content: m.content + frame.text })
      else if (!m.citations.some((c) => c.n === frame.n)) {
        const { type: _t, seq: _s, message_id: _m, ...citation } = frame
        messages = update(messages, i, { citations: [...m.citations, citation].sort((a, b) => a.n - b.n) })
      }
      return { ...state, messages, expectingJoin }
    }
    case 'answer_done': {
      const i = byId(frame.message_id)
      if (i < 0) return { ...state, messages: answered(list), reloadNeeded: true }
      const m = list[i]!
      if (m.status !== 'streaming') return state
      const status = m.stopped ? 'interrupted' : 'complete'
      return { ...state, messages: update(list, i, { status }), reloadNeeded: state.reloadNeeded || m.joinedLate }
    }
    case 'stage_changed':
      return { ...state, stage: frame.stage }
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
  const named = frame.message_id ? list.findIndex((m) => m.id === frame.message_id) : -1
  const answer = named >= 0 ? named : list.findLastIndex((m) => m.role === 'assistant' && m.status === 'streaming')
  if (answer >= 0 && list[answer]!.status === 'streaming') {
    const stopped = frame.code === 'stopped'
    return { ...state, messages: update(list, answer, { status: 'interrupted', error: stopped ? null : error, stopped }) }
  }
  if (answer >= 0) return state // that answer already ended (a replayed frame)
  const waiting = question >= 0 && list[question]!.status !== 'complete' ? question : firstPending(list)
  const messages = waiting >= 0 ? update(list, waiting, { status: 'complete' }) : list
  return { ...state, messages, banner: frame.code === 'stopped' ? null : error }
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
        joinedLate: false,
        stopped: false,
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
