/** Chats and messages as the API sends them, for the transcript reducer's tests. */
import type { Chat, ChatHistory, MessageDto, Stage } from '../api/types'

export function chatDto(stage: Stage = 'answering'): Chat {
  return {
    id: 'c1',
    title: 'T',
    stage,
    created_at: '',
    updated_at: '',
    pinned: false,
    scope: { document_ids: [], tags: [] },
    settings: { instructions: '', model: null, temperature: null },
  }
}

export function messageDto(p: Partial<MessageDto> & { id: string; position: number }): MessageDto {
  return {
    role: 'user',
    content: '',
    status: 'complete',
    citations: [],
    client_msg_id: null,
    created_at: '',
    reply_to: null,
    error: null,
    ...p,
  }
}

export function historyOf(chat: Chat, messages: MessageDto[], nextBefore: number | null = null): ChatHistory {
  return { chat, messages, next_before: nextBefore }
}
