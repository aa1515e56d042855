from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import bindparam, case, delete, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.postgres.background_tables import token_usage
from adapters.postgres.errors import translate_errors
from adapters.postgres.tables import chats
from application.ports.token_usage_repository import ChatUsage
from domain.usage import TokenUsage, UsageTotals

_PROMPT = func.coalesce(func.sum(token_usage.c.prompt_tokens), 0)
_COMPLETION = func.coalesce(func.sum(token_usage.c.completion_tokens), 0)
_ESTIMATED = func.coalesce(
    func.sum(case((token_usage.c.estimated, token_usage.c.prompt_tokens + token_usage.c.completion_tokens), else_=0)),
    0,
)


_COLUMNS = ("message_id", "user_id", "chat_id", "prompt_tokens", "completion_tokens", "estimated")


def _record() -> Any:
    """Built once (every turn records its usage): built per call, this upsert cost ~440 us of CPU, prebuilt
    ~160 us. Parameters are named ``u_*``, never like a column (see ``message_statements``)."""
    statement = insert(token_usage).values(
        {name: bindparam(f"u_{name}", type_=token_usage.c[name].type) for name in _COLUMNS}
    )
    return statement.on_conflict_do_update(
        index_elements=[token_usage.c.message_id],
        set_={name: statement.excluded[name] for name in ("prompt_tokens", "completion_tokens", "estimated")},
    )


_RECORD = _record()


class PgTokenUsageRepository:
    """One row per assistant message (primary key): recording it again overwrites, never adds."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    @translate_errors
    async def record(self, usage: TokenUsage) -> None:
        await self._session.execute(_RECORD, {f"u_{name}": getattr(usage, name) for name in _COLUMNS})

    @translate_errors
    async def totals(self, user_id: uuid.UUID) -> UsageTotals:
        query = select(_PROMPT, _COMPLETION, _ESTIMATED).where(token_usage.c.user_id == user_id)
        prompt, completion, estimated = (await self._session.execute(query)).one()
        return UsageTotals(prompt_tokens=int(prompt), completion_tokens=int(completion),
                           estimated_tokens=int(estimated))

    @translate_errors
    async def per_chat(self, user_id: uuid.UUID) -> list[ChatUsage]:
        query = (
            select(token_usage.c.chat_id, chats.c.title, _PROMPT.label("prompt"), _COMPLETION.label("completion"),
                   _ESTIMATED.label("estimated"))
            .join(chats, (chats.c.id == token_usage.c.chat_id) & (chats.c.owner_id == user_id))
            .where(token_usage.c.user_id == user_id)
            .group_by(token_usage.c.chat_id, chats.c.title)
            .order_by((_PROMPT + _COMPLETION).desc(), token_usage.c.chat_id)
        )
        return [
            ChatUsage(chat_id=row.chat_id, title=row.title,
                      totals=UsageTotals(prompt_tokens=int(row.prompt), completion_tokens=int(row.completion),
                                         estimated_tokens=int(row.estimated)))
            for row in await self._session.execute(query)
        ]

    @translate_errors
    async def forget_user(self, user_id: uuid.UUID) -> None:
        await self._session.execute(delete(token_usage).where(token_usage.c.user_id == user_id))
