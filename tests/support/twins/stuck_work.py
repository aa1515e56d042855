from __future__ import annotations

from datetime import datetime

from application.ports.stuck_work import WaitingDocument, WaitingMessage
from domain.documents import DocumentStatus
from domain.messages import MessageStatus, Role
from tests.support.twins.store import MemorySession


class MemoryStuckWork:
    def __init__(self, session: MemorySession) -> None:
        self._store = session.store

    async def waiting_documents(self, before: datetime, limit: int) -> list[WaitingDocument]:
        waiting = [d for d in self._store.documents.values()
                   if d.status in (DocumentStatus.PENDING, DocumentStatus.INDEXING) and d.updated_at < before]
        waiting.sort(key=lambda d: d.updated_at)
        return [WaitingDocument(owner_id=d.owner_id, document_id=d.id) for d in waiting[:limit]]

    async def waiting_messages(self, before: datetime, limit: int) -> list[WaitingMessage]:
        waiting = [m for m in self._store.messages.values()
                   if m.role is Role.USER and m.status is MessageStatus.PENDING and m.visible and m.created_at < before
                   and m.chat_id in self._store.chats]
        waiting.sort(key=lambda m: m.created_at)
        return [
            WaitingMessage(owner_id=self._store.chats[m.chat_id].owner_id, chat_id=m.chat_id, message_id=m.id,
                           client_msg_id=m.client_msg_id or "")
            for m in waiting[:limit]
        ]
