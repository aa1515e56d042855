from __future__ import annotations

import uuid

from sqlalchemy import bindparam, literal, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.postgres.background_tables import chat_contexts
from adapters.postgres.errors import translate_errors
from adapters.postgres.tables import chats
from domain.context import ChatContext

_GET = select(chat_contexts).where(
    chat_contexts.c.chat_id == bindparam("q_chat_id", type_=chat_contexts.c.chat_id.type)
)
"""Built once: every turn reads its chat's context."""


class PgChatContextRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    @translate_errors
    async def get(self, chat_id: uuid.UUID) -> ChatContext | None:
        row = (await self._session.execute(_GET, {"q_chat_id": chat_id})).mappings().first()
        if row is None:
            return None
        return ChatContext(chat_id=row["chat_id"], summary=row["summary"],
                           summarized_through=row["summarized_through"], updated_at=row["updated_at"])

    @translate_errors
    async def save(self, context: ChatContext) -> None:
        """An upsert from a SELECT of the chat, so a chat deleted meanwhile gets no orphan row (no FK error)."""
        values = {"summary": context.summary, "summarized_through": context.summarized_through,
                  "updated_at": context.updated_at}
        columns = [literal(value, chat_contexts.c[name].type).label(name) for name, value in values.items()]
        source = select(chats.c.id, *columns).where(chats.c.id == context.chat_id)
        statement = insert(chat_contexts).from_select(["chat_id", *values], source)
        statement = statement.on_conflict_do_update(
            index_elements=[chat_contexts.c.chat_id], set_={name: statement.excluded[name] for name in values}
        )
        await self._session.execute(statement)
