/** Frames of the `/chat/ws` protocol (docs/websocket.md is the contract). */
import type { Citation, Stage } from '../api/types'

export type ClientFrame =
  | { type: 'auth'; token: string }
  | { type: 'message'; client_msg_id: string; text: string }
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

/** Parses one text frame; `null` for anything that is not a JSON object with a string `type`. */
export function parseServerFrame(data: unknown): { type: string; [key: string]: unknown } | null {
  if (typeof data !== 'string') return null
  try {
    const value: unknown = JSON.parse(data)
    if (value && typeof value === 'object' && typeof (value as { type?: unknown }).type === 'string') {
      const frame = value as { type: string; citation?: unknown; [key: string]: unknown }
      // The server nests the cited passage (`{"type":"citation","message_id":…,"citation":{n,…}}`);
      // the UI works on one flat object.
      if (frame.type === 'citation' && frame.citation && typeof frame.citation === 'object') {
        const { citation, ...rest } = frame
        return { ...rest, ...(citation as Record<string, unknown>) } as { type: string; [key: string]: unknown }
      }
      return frame
    }
  } catch {
    // fall through: a malformed frame is ignored rather than crashing the session
  }
  return null
}
