from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


class MemoryChatJobLock:
    """One asyncio lock per chat (APP scope): the single-process twin of the PostgreSQL advisory lock."""

    def __init__(self) -> None:
        self._locks: dict[uuid.UUID, asyncio.Lock] = {}

    @asynccontextmanager
    async def hold(self, chat_id: uuid.UUID) -> AsyncIterator[None]:
        lock = self._locks.setdefault(chat_id, asyncio.Lock())
        async with lock:
            yield
