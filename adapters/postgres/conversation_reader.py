"""``ConversationReader`` in one statement: the chat (by id and owner), its context (a left join) and its newest
visible messages (a lateral subquery, newest first), one row per message, the chat's columns on each (one row of
NULL messages when it has none). Built once, like the repositories' per-turn statements."""

from __future__ import annotations

import uuid

from sqlalchemy import bindparam, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.postgres.background_tables import chat_contexts
from adapters.postgres.chat_repository import chat_from_row
from adapters.postgres.errors import translate_errors
from adapters.postgres.message_repository import message_from_row
from adapters.postgres.tables import chat_messages, chats
from application.ports.conversation_reader import Conversation
from domain.context import ChatContext

_MESSAGE_COLUMNS = tuple(column.name for column in chat_messages.c)
_page = (
    select(*(column.label(f"m_{column.name}") for column in chat_messages.c))
    .where(chat_messages.c.chat_id == chats.c.id, chat_messages.c.superseded_by.is_(None))
    .order_by(chat_messages.c.position.desc())
    .limit(bindparam("q_limit"))
    .lateral("page")
)
_READ = (
    select(
        chats,
        chat_contexts.c.chat_id.label("x_chat_id"),
        chat_contexts.c.summary.label("x_summary"),
        chat_contexts.c.summarized_through.label("x_summarized_through"),
        chat_contexts.c.updated_at.label("x_updated_at"),
        _page,
    )
    .select_from(chats.outerjoin(chat_contexts, chat_contexts.c.chat_id == chats.c.id).outerjoin(_page, true()))
    .where(
        chats.c.id == bindparam("q_id", type_=chats.c.id.type),
        chats.c.owner_id == bindparam("q_owner_id", type_=chats.c.owner_id.type),
    )
    .order_by(_page.c.m_position.desc())
)


class PgConversationReader:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    @translate_errors
    async def read(self, owner_id: uuid.UUID, chat_id: uuid.UUID, limit: int) -> Conversation | None:
        params = {"q_id": chat_id, "q_owner_id": owner_id, "q_limit": max(limit, 0)}
        rows = (await self._session.execute(_READ, params)).mappings().all()
        if not rows:
            return None
        first = rows[0]
        context = None
        if first["x_chat_id"] is not None:
            context = ChatContext(
                chat_id=first["x_chat_id"],
                summary=first["x_summary"],
                summarized_through=first["x_summarized_through"],
                updated_at=first["x_updated_at"],
            )
        newest = [
            message_from_row({name: row[f"m_{name}"] for name in _MESSAGE_COLUMNS})
            for row in reversed(rows)
            if row["m_id"] is not None
        ]
        return Conversation(chat=chat_from_row(first), newest=newest, context=context)
