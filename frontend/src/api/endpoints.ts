/** Typed calls for every endpoint the UI uses (contract: the backend's schemas in entrypoints/http/schemas). */
import { request, requestBlob } from './http'
import type {
  AccessGrant,
  Chat,
  ChatHistory,
  ChatSettings,
  CreatedInvitation,
  DocumentDto,
  DocumentTextDto,
  DocumentScope,
  Invitation,
  Items,
  ModelList,
  ReindexProgress,
  ReindexStarted,
  SearchHit,
  SignupInfo,
  Stage,
  Usage,
  User,
} from './types'

/** Asks for the browser session: the refresh token in an HttpOnly cookie shared by every tab (see session.ts). */
const COOKIE_SESSION = { 'X-Ragchat-Session': 'cookie' }

export const authApi = {
  register: (email: string, password: string, inviteCode?: string) =>
    request<User>('/auth/register', {
      method: 'POST',
      json: inviteCode ? { email, password, invite_code: inviteCode } : { email, password },
      auth: false,
    }),
  signupInfo: () => request<SignupInfo>('/auth/signup', { auth: false }),
  login: (email: string, password: string) =>
    request<AccessGrant>('/auth/login', { method: 'POST', json: { email, password }, auth: false, headers: COOKIE_SESSION }),
  refresh: () => request<AccessGrant>('/auth/refresh', { method: 'POST', auth: false, headers: COOKIE_SESSION }),
  logout: () => request<void>('/auth/logout', { method: 'POST', auth: false, headers: COOKIE_SESSION }),
  me: () => request<User>('/me'),
}

export const documentsApi = {
  list: (signal?: AbortSignal) => request<Items<DocumentDto>>('/documents', { signal }).then((r) => r.items),
  remove: (id: string) => request<void>(`/documents/${encodeURIComponent(id)}`, { method: 'DELETE' }),
  /** The uploaded file itself (owner only). */
  file: (id: string, signal?: AbortSignal) => requestBlob(`/documents/${encodeURIComponent(id)}/file`, signal),
  /** The text as indexed (for Word documents, which the browser cannot render). */
  text: (id: string, signal?: AbortSignal) =>
    request<DocumentTextDto>(`/documents/${encodeURIComponent(id)}/text`, { signal }),
  addUrl: (url: string) => request<DocumentDto>('/documents/url', { method: 'POST', json: { url } }),
  refetch: (id: string) => request<DocumentDto>(`/documents/${encodeURIComponent(id)}/refetch`, { method: 'POST' }),
  setTags: (id: string, tags: string[]) =>
    request<DocumentDto>(`/documents/${encodeURIComponent(id)}`, { method: 'PATCH', json: { tags } }),
  search: (q: string, k = 8, signal?: AbortSignal) =>
    request<Items<SearchHit>>('/search', { query: { q, k }, signal }).then((r) => r.items),
}

export const chatsApi = {
  /** With `q`: only chats whose title or a message contains it (at most 50); pinned chats first either way. */
  list: (q?: string, signal?: AbortSignal) =>
    request<Items<Chat>>('/chats', { query: { q: q || undefined }, signal }).then((r) => r.items),
  create: (title?: string, stage?: Stage) => request<Chat>('/chats', { method: 'POST', json: { title, stage } }),
  history: (id: string, before?: number | null, limit = 50) =>
    request<ChatHistory>(`/chats/${encodeURIComponent(id)}`, { query: { before, limit } }),
  update: (id: string, patch: { title?: string; stage?: Stage; scope?: DocumentScope; settings?: ChatSettings; pinned?: boolean }) =>
    request<Chat>(`/chats/${encodeURIComponent(id)}`, { method: 'PATCH', json: patch }),
  remove: (id: string) => request<void>(`/chats/${encodeURIComponent(id)}`, { method: 'DELETE' }),
}

export const modelsApi = {
  list: (signal?: AbortSignal) => request<ModelList>('/models', { signal }),
}

export const usageApi = {
  get: () => request<Usage>('/me/usage'),
}

/** The administrator's endpoints; everyone else gets 403. */
export const adminApi = {
  users: () => request<Items<User>>('/admin/users').then((r) => r.items),
  disable: (id: string) => request<User>(`/admin/users/${encodeURIComponent(id)}/disable`, { method: 'POST' }),
  enable: (id: string) => request<User>(`/admin/users/${encodeURIComponent(id)}/enable`, { method: 'POST' }),
  remove: (id: string) => request<void>(`/admin/users/${encodeURIComponent(id)}`, { method: 'DELETE' }),
  invitations: () => request<Items<Invitation>>('/admin/invitations').then((r) => r.items),
  invite: (email?: string) =>
    request<CreatedInvitation>('/admin/invitations', { method: 'POST', json: email ? { email } : {} }),
  revoke: (id: string) => request<void>(`/admin/invitations/${encodeURIComponent(id)}`, { method: 'DELETE' }),
  reindex: () => request<ReindexStarted>('/admin/reindex', { method: 'POST', json: {} }),
  reindexProgress: () => request<ReindexProgress>('/admin/reindex'),
}
