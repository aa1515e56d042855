"""Per-chat locks of the embedded (one-process) mode, with the same lease/expiry contract as Redis."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Callable

from application.ports.chat_lock import LockLease

POLL_SECONDS = 0.01


class MemoryChatLock:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._held: dict[uuid.UUID, tuple[str, float]] = {}
        """chat id -> (token, monotonic expiry)."""

    def _holder(self, chat_id: uuid.UUID) -> str | None:
        held = self._held.get(chat_id)
        if held is None:
            return None
        token, expires_at = held
        if expires_at <= self._clock():
            del self._held[chat_id]
            return None
        return token

    async def try_acquire(self, chat_id: uuid.UUID, ttl_seconds: float) -> LockLease | None:
        if self._holder(chat_id) is not None:
            return None
        lease = LockLease(chat_id=chat_id, token=uuid.uuid4().hex)
        self._held[chat_id] = (lease.token, self._clock() + ttl_seconds)
        return lease

    async def acquire(self, chat_id: uuid.UUID, ttl_seconds: float, wait_seconds: float) -> LockLease | None:
        deadline = self._clock() + wait_seconds
        while True:
            lease = await self.try_acquire(chat_id, ttl_seconds)
            remaining = deadline - self._clock()
            if lease is not None or remaining <= 0:
                return lease
            await asyncio.sleep(min(POLL_SECONDS, remaining))

    async def renew(self, lease: LockLease, ttl_seconds: float) -> bool:
        if self._holder(lease.chat_id) != lease.token:
            return False
        self._held[lease.chat_id] = (lease.token, self._clock() + ttl_seconds)
        return True

    async def release(self, lease: LockLease) -> bool:
        if self._holder(lease.chat_id) != lease.token:
            return False
        del self._held[lease.chat_id]
        return True
