"""Password hashing on a small dedicated thread pool, so a burst of logins neither stalls the event loop nor
takes every core: at most ``workers`` hashes run at once, the rest wait their turn."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from typing import Protocol


class SyncPasswordHasher(Protocol):
    def hash(self, password: str) -> str: ...

    def verify(self, password_hash: str, password: str) -> bool: ...


class OffloadedPasswordHasher:
    """Implements the ``PasswordHasher`` port over a synchronous hasher. Its executor is its own (not the loop's
    default pool, which file reads and DNS lookups share), bounded to ``workers`` threads."""

    def __init__(self, hasher: SyncPasswordHasher, workers: int = 2) -> None:
        self._hasher = hasher
        self._executor = ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="password-hash")

    async def hash(self, password: str) -> str:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self._hasher.hash, password)

    async def verify(self, password_hash: str, password: str) -> bool:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self._hasher.verify, password_hash, password)

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
