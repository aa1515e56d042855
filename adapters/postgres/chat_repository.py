from __future__ import annotations

import builtins
import uuid
from collections.abc import Mapping
from typing import Any

from sqlalchemy import bindparam, delete, exists, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.postgres.errors import translate_errors
from adapters.postgres.tables import chat_messages, chats
from domain.chats import Chat, ChatSettings
from domain.documents import DocumentScope
from domain.stages import Stage


def chat_from_row(row: Mapping[Any, Any]) -> Chat:
    return Chat(
        id=row["id"],
        owner_id=row["owner_id"],
        title=row["title"],
        stage=Stage(row["stage"]),
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        scope=DocumentScope(document_ids=tuple(row["scope_document_ids"] or ()), tags=tuple(row["scope_tags"] or ())),
        titled_by_user=row["titled_by_user"],
        settings=ChatSettings(model=row["model"], instructions=row["instructions"], temperature=row["temperature"]),
        pinned=row["pinned"],
    )


def _mutable(chat: Chat) -> dict[str, object]:
    """The columns a chat's changes write (``add`` adds its identity and creation time)."""
    return {
        "title": chat.title,
        "stage": chat.stage.value,
        "updated_at": chat.updated_at,
        "scope_document_ids": list(chat.scope.document_ids),
        "scope_tags": list(chat.scope.tags),
        "titled_by_user": chat.titled_by_user,
        "model": chat.settings.model,
        "instructions": chat.settings.instructions,
        "temperature": chat.settings.temperature,
        "pinned": chat.pinned,
    }


def _like_pattern(query: str) -> str:
    """``query`` as a literal substring for ``ILIKE ... ESCAPE '\\'``: its own ``%``, ``_`` and ``\\`` match
    themselves."""
    escaped = query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


_GET = select(chats).where(
    chats.c.id == bindparam("q_id", type_=chats.c.id.type),
    chats.c.owner_id == bindparam("q_owner_id", type_=chats.c.owner_id.type),
)
"""Built once: every question reads its chat twice (stored, then answered), and building a statement costs more
Python than sending it."""
_LIST_ORDER = (chats.c.pinned.desc(), chats.c.updated_at.desc(), chats.c.created_at.desc(), chats.c.id.desc())


class PgChatRepository:
    """Every statement filters by ``owner_id`` in SQL. ``message_count`` is the message-position counter and
    is owned by ``PgMessageRepository``; ``update`` never writes it, so it cannot lose an increment."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    @translate_errors
    async def add(self, chat: Chat) -> None:
        await self._session.execute(
            insert(chats).values(id=chat.id, owner_id=chat.owner_id, created_at=chat.created_at, **_mutable(chat))
        )

    @translate_errors
    async def get(self, owner_id: uuid.UUID, chat_id: uuid.UUID) -> Chat | None:
        params = {"q_id": chat_id, "q_owner_id": owner_id}
        row = (await self._session.execute(_GET, params)).mappings().first()
        return None if row is None else chat_from_row(row)

    @translate_errors
    async def list(self, owner_id: uuid.UUID) -> list[Chat]:
        query = select(chats).where(chats.c.owner_id == owner_id).order_by(*_LIST_ORDER)
        return [chat_from_row(row) for row in (await self._session.execute(query)).mappings()]

    @translate_errors
    async def search(self, owner_id: uuid.UUID, query: str, limit: int) -> builtins.list[Chat]:
        """``ILIKE`` on the title or on any message of the chat (an ``EXISTS`` that stops at the first match),
        only over the owner's chats (their index), at most ``limit`` rows. A substring match finds parts of
        words and any language, which full-text stemming would not; the embedded server has no ``pg_trgm`` to
        index it, so the cost grows with the owner's own history, not with other users'."""
        pattern = _like_pattern(query)
        said = exists().where(
            chat_messages.c.chat_id == chats.c.id,
            chat_messages.c.superseded_by.is_(None),
            chat_messages.c.content.ilike(pattern, escape="\\"),
        )
        statement = (
            select(chats)
            .where(chats.c.owner_id == owner_id, or_(chats.c.title.ilike(pattern, escape="\\"), said))
            .order_by(*_LIST_ORDER)
            .limit(limit)
        )
        return [chat_from_row(row) for row in (await self._session.execute(statement)).mappings()]

    @translate_errors
    async def update(self, chat: Chat) -> None:
        await self._session.execute(
            update(chats)
            .where(chats.c.id == chat.id, chats.c.owner_id == chat.owner_id)
            .values(**_mutable(chat))
        )

    @translate_errors
    async def set_generated_title(self, owner_id: uuid.UUID, chat_id: uuid.UUID, title: str) -> bool:
        statement = (
            update(chats)
            .where(chats.c.id == chat_id, chats.c.owner_id == owner_id, chats.c.titled_by_user.is_(False))
            .values(title=title)
            .returning(chats.c.id)
        )
        return (await self._session.execute(statement)).first() is not None

    @translate_errors
    async def delete(self, owner_id: uuid.UUID, chat_id: uuid.UUID) -> bool:
        """Messages go with the chat (``ON DELETE CASCADE``)."""
        statement = delete(chats).where(chats.c.id == chat_id, chats.c.owner_id == owner_id).returning(chats.c.id)
        return (await self._session.execute(statement)).first() is not None
