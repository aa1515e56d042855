from __future__ import annotations

import builtins
import uuid
from collections.abc import Mapping
from typing import Any

import msgspec
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.postgres import message_statements as statements
from adapters.postgres.errors import translate_errors
from adapters.postgres.tables import chat_messages
from application.ports.message_repository import AddedQuestion
from domain.errors import Conflict, NotFound
from domain.messages import ChatMessage, Citation, MessageStatus, Role, TurnFailure


def message_from_row(row: Mapping[Any, Any]) -> ChatMessage:
    return ChatMessage(
        id=row["id"],
        chat_id=row["chat_id"],
        role=Role(row["role"]),
        content=row["content"],
        created_at=row["created_at"],
        status=MessageStatus(row["status"]),
        client_msg_id=row["client_msg_id"],
        reply_to=row["reply_to"],
        citations=msgspec.convert(row["citations"], list[Citation]),
        prompt_tokens=row["prompt_tokens"],
        completion_tokens=row["completion_tokens"],
        position=row["position"],
        error=None if row["error"] is None else msgspec.convert(row["error"], TurnFailure),
        replaces=row["replaces"],
        superseded_by=row["superseded_by"],
    )


def _mutable_values(message: ChatMessage) -> dict[str, object]:
    return {
        "content": message.content,
        "status": message.status.value,
        "citations": msgspec.to_builtins(message.citations),
        "prompt_tokens": message.prompt_tokens,
        "completion_tokens": message.completion_tokens,
        "error": None if message.error is None else msgspec.to_builtins(message.error),
    }


class PgMessageRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    @translate_errors
    async def add_question(self, message: ChatMessage, *, owner_id: uuid.UUID) -> AddedQuestion:
        stored, titled_by_user = await self._add(message, owner_id)
        return AddedQuestion(message=stored, title_open=not titled_by_user)

    @translate_errors
    async def add(self, message: ChatMessage, *, owner_id: uuid.UUID | None = None) -> ChatMessage:
        return (await self._add(message, owner_id))[0]

    async def _add(self, message: ChatMessage, owner_id: uuid.UUID | None) -> tuple[ChatMessage, bool]:
        """One statement (``_ADD``): positions come from ``chats.message_count``, whose UPDATE takes the chat's
        row lock, so concurrent appends to one chat queue up and get consecutive positions. Raises ``NotFound``
        (no such chat) and ``Conflict`` (``client_msg_id`` already used in this chat). A conflict is no error in
        PostgreSQL (``ON CONFLICT DO NOTHING``), so the caller's transaction goes on; the bump it made is taken
        back while this transaction still holds the row lock, so no position is consumed."""
        values = {
            "id": message.id, "chat_id": message.chat_id, "role": message.role.value,
            "client_msg_id": message.client_msg_id, "reply_to": message.reply_to, "replaces": message.replaces,
            "superseded_by": message.superseded_by, "created_at": message.created_at, **_mutable_values(message),
        }
        params = {f"new_{name}": value for name, value in values.items()}  # no column's name: see statements
        statement = statements.ADD
        if owner_id is not None:
            statement, params["new_owner_id"] = statements.ADD_OWNED, owner_id
        bumped, position, titled_by_user = (await self._session.execute(statement, params)).one()
        if bumped is None:
            raise NotFound("chat not found")
        if position is None:
            await self._session.execute(statements.UNBUMP, {"new_chat_id": message.chat_id})
            raise Conflict("this client_msg_id was already used in the chat")
        return msgspec.structs.replace(message, position=position), bool(titled_by_user)

    @translate_errors
    async def get(self, chat_id: uuid.UUID, message_id: uuid.UUID) -> ChatMessage | None:
        params = {"q_chat_id": chat_id, "q_id": message_id}
        row = (await self._session.execute(statements.GET, params)).mappings().first()
        return None if row is None else message_from_row(row)

    @translate_errors
    async def get_by_client_msg_id(self, chat_id: uuid.UUID, client_msg_id: str) -> ChatMessage | None:
        params = {"q_chat_id": chat_id, "q_client_msg_id": client_msg_id}
        row = (await self._session.execute(statements.BY_CLIENT_MSG_ID, params)).mappings().first()
        return None if row is None else message_from_row(row)

    @translate_errors
    async def list(self, chat_id: uuid.UUID, *, before: int | None, limit: int) -> list[ChatMessage]:
        params: dict[str, object] = {"q_chat_id": chat_id, "q_limit": max(limit, 0)}
        if before is None:
            query = statements.LATEST
        else:
            query, params["q_before"] = statements.LATEST_BEFORE, before
        rows = (await self._session.execute(query, params)).mappings().all()
        return [message_from_row(row) for row in reversed(rows)]

    @translate_errors
    async def supersede(self, question: ChatMessage) -> builtins.list[uuid.UUID]:
        """Three statements in the caller's transaction. The chat's turns run one at a time under its lock, so
        no answer is being written meanwhile; a question sent meanwhile lands after ``question`` and is kept."""
        m, replaced = chat_messages, chat_messages.alias("replaced")
        visible = (m.c.chat_id == question.chat_id, m.c.superseded_by.is_(None), m.c.id != question.id)
        start = select(replaced.c.position).where(replaced.c.chat_id == question.chat_id,
                                                  replaced.c.id == question.replaces)
        questions = await self._session.execute(
            update(m)
            .where(*visible, m.c.role == Role.USER.value, m.c.position >= start.scalar_subquery(),
                   m.c.position < question.position)
            .values(superseded_by=question.id)
            .returning(m.c.id, m.c.position)
        )
        ours = select(replaced.c.id).where(replaced.c.chat_id == question.chat_id,
                                           replaced.c.superseded_by == question.id)
        answers = await self._session.execute(
            update(m).where(*visible, m.c.reply_to.in_(ours)).values(superseded_by=question.id)
            .returning(m.c.id, m.c.position)
        )
        marked = sorted([*questions.all(), *answers.all()], key=lambda row: row.position)
        return [row.id for row in marked]

    @translate_errors
    async def settle(self, question: ChatMessage) -> bool:
        settled = await self._session.execute(statements.SETTLE, {
            "q_chat_id": question.chat_id, "q_id": question.id, "q_status": question.status.value,
            "q_error": None if question.error is None else msgspec.to_builtins(question.error),
        })
        return bool(getattr(settled, "rowcount", 0))

    @translate_errors
    async def update(self, message: ChatMessage) -> None:
        await self._session.execute(
            update(chat_messages)
            .where(chat_messages.c.chat_id == message.chat_id, chat_messages.c.id == message.id)
            .values(_mutable_values(message))
        )
