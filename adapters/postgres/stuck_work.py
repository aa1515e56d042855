from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.postgres.errors import translate_errors
from adapters.postgres.tables import chat_messages, chats, documents
from application.ports.stuck_work import WaitingDocument, WaitingMessage


class PgStuckWork:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    @translate_errors
    async def waiting_documents(self, before: datetime, limit: int) -> list[WaitingDocument]:
        query = (
            select(documents.c.owner_id, documents.c.id)
            .where(documents.c.status.in_(("pending", "indexing")), documents.c.updated_at < before)
            .order_by(documents.c.updated_at)
            .limit(limit)
        )
        rows = await self._session.execute(query)
        return [WaitingDocument(owner_id=row.owner_id, document_id=row.id) for row in rows]

    @translate_errors
    async def waiting_messages(self, before: datetime, limit: int) -> list[WaitingMessage]:
        query = (
            select(chats.c.owner_id, chat_messages.c.chat_id, chat_messages.c.id, chat_messages.c.client_msg_id)
            .join(chats, chats.c.id == chat_messages.c.chat_id)
            .where(chat_messages.c.status == "pending", chat_messages.c.role == "user",
                   chat_messages.c.superseded_by.is_(None), chat_messages.c.created_at < before)
            .order_by(chat_messages.c.created_at)
            .limit(limit)
        )
        return [
            WaitingMessage(owner_id=row.owner_id, chat_id=row.chat_id, message_id=row.id,
                           client_msg_id=row.client_msg_id or "")
            for row in await self._session.execute(query)
        ]
