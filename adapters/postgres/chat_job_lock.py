from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.postgres.errors import translate_errors

CHAT_JOB_LOCK_SPACE = 0x7263_6A62  # "rcjb": the first key of the two-key advisory lock; the chat is the second


class PgChatJobLock:
    """``pg_advisory_xact_lock`` on the request's transaction: held across processes and workers until that
    transaction commits or rolls back, released by PostgreSQL even if the holder dies."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    @asynccontextmanager
    async def hold(self, chat_id: uuid.UUID) -> AsyncIterator[None]:
        await self._lock(chat_id)
        yield

    @translate_errors
    async def _lock(self, chat_id: uuid.UUID) -> None:
        key = func.hashtext(str(chat_id))
        await self._session.execute(select(func.pg_advisory_xact_lock(CHAT_JOB_LOCK_SPACE, key)))
