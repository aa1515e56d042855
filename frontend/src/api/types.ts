/** Wire shapes of the ragchat HTTP API (see the backend's `entrypoints/http/schemas/`). */

export type Role = 'admin' | 'member'

export interface User {
  id: string
  email: string
  created_at: string
  role: Role
  disabled: boolean
}

export type SignupMode = 'open' | 'invite' | 'closed'

/** `GET /auth/signup`: what the sign-up form offers. */
export interface SignupInfo {
  mode: SignupMode
  min_password_length: number
}

export type InvitationStatus = 'pending' | 'used' | 'expired'

export interface Invitation {
  id: string
  status: InvitationStatus
  created_at: string
  expires_at: string
  email: string | null
  used_at: string | null
  used_by: string | null
}

/** `POST /admin/invitations`: the code is in this answer only. */
export interface CreatedInvitation {
  invitation: Invitation
  code: string
}

export interface TokenPair {
  access_token: string
  refresh_token: string
  token_type: 'bearer'
  expires_in: number
}

/** What a cookie session gets in the body: the refresh token travels in an HttpOnly cookie instead. */
export interface AccessGrant {
  access_token: string
  token_type: 'bearer'
  expires_in: number
}

export type DocumentStatus = 'pending' | 'indexing' | 'ready' | 'failed'

export interface DocumentDto {
  id: string
  filename: string
  status: DocumentStatus
  failure_reason: string | null
  progress: number
  chunks_done: number
  chunks_total: number
  size_bytes: number
  content_type: string
  created_at: string
  updated_at: string
  tags: string[]
  /** The web address of a document added by URL; null for uploads. */
  source_url?: string | null
}

/** `GET /documents/{id}/text`: the text as indexed, in sections that share a heading path. */
export interface DocumentTextDto {
  id: string
  filename: string
  text: string
  sections: { start: number; end: number; heading_path: string[]; page: number | null }[]
}

/** The documents a chat's answers draw on: these ids plus every document with one of these tags; both empty: all. */
export interface DocumentScope {
  document_ids: string[]
  tags: string[]
}

export interface SearchHit {
  chunk_id: string
  document_id: string
  filename: string
  text: string
  score: number
  page: number | null
  heading_path: string[]
}

export type Stage = 'answering' | 'test'

export interface Chat {
  id: string
  title: string
  stage: Stage
  created_at: string
  updated_at: string
  scope?: DocumentScope
  /** Listed before the others. */
  pinned?: boolean
  settings?: ChatSettings
}

/** How a chat's answers are written; null model/temperature: the server's configured model, the model's default. */
export interface ChatSettings {
  model: string | null
  instructions: string
  temperature: number | null
}

export interface ModelList {
  default: string
  items: string[]
}

export interface Citation {
  n: number
  chunk_id: string
  document_id: string
  filename: string
  text: string
  page: number | null
  heading_path: string[]
}

export type MessageStatus = 'pending' | 'complete' | 'interrupted'

export interface MessageDto {
  id: string
  role: 'user' | 'assistant'
  content: string
  status: MessageStatus
  citations: Citation[]
  client_msg_id: string | null
  reply_to?: string | null
  created_at: string
  position: number
  /** On an interrupted question: why its turn failed, as the live `error` frame said. */
  error?: { code: string; message: string; retryable: boolean } | null
}

export interface ChatHistory {
  chat: Chat
  messages: MessageDto[]
  next_before: number | null
}

export interface TokenCounts {
  prompt_tokens: number
  completion_tokens: number
  total_tokens: number
  /** How many of the tokens ragchat counted itself because the model reported none: estimates. */
  estimated_tokens: number
}

export interface ChatUsage extends TokenCounts {
  chat_id: string
  title: string
}

export interface Usage {
  /** Everything spent: the sum of `chats` and `deleted_chats`. */
  total: TokenCounts
  chats: ChatUsage[]
  /** What chats deleted since had spent. */
  deleted_chats: TokenCounts
}

export interface Items<T> {
  items: T[]
}

/** RFC 9457 problem details, as every error response carries them. */
export interface Problem {
  type?: string
  title?: string
  status?: number
  detail?: string
  code?: string
  /** Whether the same request may succeed later; false when only a different one can (e.g. a smaller file). */
  retryable?: boolean
  errors?: { field: string; message: string }[]
  /** `duplicate_document`: the copy already uploaded. */
  document_id?: string
}

/** `POST /admin/reindex`: ready documents queued for re-embedding with the current embedder. */
export interface ReindexStarted {
  documents: number
}

/** `GET /admin/reindex`: re-embedding jobs still queued or running, and those that gave up. */
export interface ReindexProgress {
  queued: number
  running: number
  failed: number
}
