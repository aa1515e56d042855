/** Frames of the `/chat/ws` protocol (docs/websocket.md is the contract). */
import type { Citation, Stage } from '../api/types'

/** Frames that ask for a turn: queued by `client_msg_id` and re-sent until `accepted` (idempotent on the server). */
export type QuestionFrame =
  | { type: 'message'; client_msg_id: string; text: string }
  | { type: 'edit'; client_msg_id: string; message_id: string; text: string }
  | { type: 'regenerate'; client_msg_id: string; message_id: string }

export type ClientFrame =
  | { type: 'auth'; token: string }
  | QuestionFrame
  | { type: 'ack'; seq: number }
  | { type: 'resume'; after_seq: number }
  | { type: 'ping' }
  | { type: 'set_stage'; stage: Stage }
  | { type: 'stop' }

/** A question is in the chat (sent by any socket); again, same `message_id`, for a deduplicated or retried re-send. */
export interface AcceptedFrame {
  type: 'accepted'
  seq: number
  client_msg_id: string
  message_id: string
  text?: string
  position?: number
  status?: 'pending' | 'complete' | 'interrupted'
  /** On an edit or a regenerate: the question it replaces (a `replaced` frame settles it). */
  replaces?: string | null
}
/** An edit or regenerate (the question `by`) took effect: these messages left the conversation. */
export interface ReplacedFrame {
  type: 'replaced'
  seq: number
  message_ids: string[]
  by: string
}
export interface AnswerStartedFrame {
  type: 'answer_started'
  seq: number
  message_id: string
  reply_to: string
}
export interface TitleChangedFrame {
  type: 'title_changed'
  seq: number
  title: string
}
export interface TokenFrame {
  type: 'token'
  seq: number
  message_id: string
  text: string
}
export interface CitationFrame extends Citation {
  type: 'citation'
  seq: number
  message_id: string
}
export interface AnswerDoneFrame {
  type: 'answer_done'
  seq: number
  message_id: string
  reply_to?: string
  usage?: { prompt_tokens: number; completion_tokens: number }
}
export interface ErrorFrame {
  type: 'error'
  seq?: number
  code: string
  message: string
  retryable: boolean
  /** The user message the error is about: not taken (no seq), or whose turn failed (seq > 0). */
  client_msg_id?: string | null
  /** The answer that was interrupted part-way, when one had started. */
  message_id?: string | null
}
export interface StageChangedFrame {
  type: 'stage_changed'
  seq: number
  stage: Stage
}

/** Frames that carry a per-chat `seq` and reach the UI exactly once, in order. */
export type SeqFrame =
  | AcceptedFrame
  | AnswerStartedFrame
  | TitleChangedFrame
  | TokenFrame
  | CitationFrame
  | AnswerDoneFrame
  | (ErrorFrame & { seq: number })
  | ReplacedFrame
  | StageChangedFrame

export interface SnapshotFrame {
  type: 'snapshot'
  epoch: string
  last_seq: number
  /** Where a client that (re)loads history resumes: every answer still being written replays from its start. */
  join_seq?: number
  /** The server could not replay what this client missed (trimmed or lost): reload history over HTTP. */
  reload_history?: boolean
}

export interface PongFrame {
  type: 'pong'
}

/** Every frame the server sends, told apart by `type`. */
export type ServerFrame = SeqFrame | ErrorFrame | SnapshotFrame | PongFrame

type FieldKind = 'string' | 'number'

/** The fields each frame type cannot do without, and their JSON types; the rest is optional or checked by use. */
const REQUIRED: { readonly [T in ServerFrame['type']]: Readonly<Record<string, FieldKind>> } = {
  accepted: { seq: 'number', client_msg_id: 'string', message_id: 'string' },
  answer_started: { seq: 'number', message_id: 'string', reply_to: 'string' },
  title_changed: { seq: 'number', title: 'string' },
  token: { seq: 'number', message_id: 'string', text: 'string' },
  citation: { seq: 'number', message_id: 'string', n: 'number' },
  answer_done: { seq: 'number', message_id: 'string' },
  error: { code: 'string', message: 'string' },
  stage_changed: { seq: 'number', stage: 'string' },
  replaced: { seq: 'number', by: 'string' },
  snapshot: { epoch: 'string', last_seq: 'number' },
  pong: {},
}

function isFrameType(type: unknown): type is ServerFrame['type'] {
  return typeof type === 'string' && Object.prototype.hasOwnProperty.call(REQUIRED, type)
}

function isStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string')
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * Parses one text frame into the frame it is; `null` for anything else (not JSON, not an object, an unknown
 * `type`, a required field missing or of the wrong type), which the session ignores rather than crashing.
 */
export function parseServerFrame(data: unknown): ServerFrame | null {
  if (typeof data !== 'string') return null
  let value: unknown
  try {
    value = JSON.parse(data)
  } catch {
    return null
  }
  if (!isRecord(value) || !isFrameType(value.type)) return null
  // The server nests the cited passage (`{"type":"citation","message_id":…,"citation":{n,…}}`);
  // the UI works on one flat object.
  const { citation, ...rest } = value
  const fields: Record<string, unknown> = value.type === 'citation' && isRecord(citation) ? { ...rest, ...citation } : value
  for (const [name, kind] of Object.entries(REQUIRED[value.type])) {
    if (typeof fields[name] !== kind) return null
  }
  if (value.type === 'error') fields.retryable = fields.retryable === true
  if (value.type === 'replaced' && !isStringList(fields.message_ids)) return null
  return fields as unknown as ServerFrame
}
