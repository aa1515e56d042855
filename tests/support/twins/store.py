"""The shared state behind the in-memory repositories, and a per-request session that can undo its writes.

One ``MemoryStore`` plays the database: every request's repositories see the same dicts. One
``MemorySession`` plays a request's transaction: its writes apply at once (so, unlike PostgreSQL, other
requests see them before commit), but ``rollback`` - or ``close`` without ``commit`` - undoes them, so a use
case that forgets to commit, or fails after writing, behaves as it would against PostgreSQL.
Entities are deep-copied in and out, so changing a fetched struct changes nothing until ``update``.
"""

from __future__ import annotations

import asyncio
import copy
import uuid
from collections.abc import Callable
from typing import TypeVar

from domain.chats import Chat
from domain.documents import Chunk, Document
from domain.messages import ChatMessage
from domain.signup import Invitation
from domain.users import RefreshToken, User

K = TypeVar("K")
V = TypeVar("V")
_MISSING = object()


class MemoryStore:
    def __init__(self) -> None:
        self.users: dict[uuid.UUID, User] = {}
        self.refresh_tokens: dict[uuid.UUID, RefreshToken] = {}
        self.invitations: dict[uuid.UUID, Invitation] = {}
        self.documents: dict[uuid.UUID, Document] = {}
        self.chunks: dict[uuid.UUID, list[Chunk]] = {}
        """Per document, its indexed chunks (``MemoryChunkIndex``)."""
        self.chats: dict[uuid.UUID, Chat] = {}
        self.message_counts: dict[uuid.UUID, int] = {}
        """Per chat, the last position handed out (``chats.message_count`` in PostgreSQL)."""
        self.messages: dict[uuid.UUID, ChatMessage] = {}
        self.sign_up_lock = asyncio.Lock()
        """Held from ``MemoryUserRepository.lock_sign_ups`` to the end of that session's transaction."""


class MemorySession:
    def __init__(self, store: MemoryStore) -> None:
        self.store = store
        self._undo: list[Callable[[], None]] = []
        self._held: list[asyncio.Lock] = []
        self._reading_only = False

    def reads_only(self) -> bool:
        """Until the unit ends, writing raises (``UnitOfWork.reads_only``); with writes already made, nothing
        changes (the unit is under way, as in PostgreSQL) and it returns False."""
        if self._undo or self._held:
            return False
        self._reading_only = True
        return True

    def _writing(self) -> None:
        if self._reading_only:
            raise AssertionError("a write in a unit of work declared read-only")

    async def hold(self, lock: asyncio.Lock) -> None:
        """Takes ``lock`` until this transaction ends (commit, rollback or close), like an xact advisory lock."""
        if lock not in self._held:
            await lock.acquire()
            self._held.append(lock)

    def _release(self) -> None:
        while self._held:
            self._held.pop().release()

    def put(self, table: dict[K, V], key: K, value: V) -> None:
        self._writing()
        previous = table.get(key, _MISSING)
        table[key] = copy.deepcopy(value)
        self._undo.append(lambda: _restore(table, key, previous))

    def remove(self, table: dict[K, V], key: K) -> bool:
        self._writing()
        if key not in table:
            return False
        previous = table.pop(key)
        self._undo.append(lambda: _restore(table, key, previous))
        return True

    def commit(self) -> None:
        self._undo.clear()
        self._release()
        self._reading_only = False

    def rollback(self) -> None:
        while self._undo:
            self._undo.pop()()
        self._release()
        self._reading_only = False

    def close(self) -> None:
        """End of request: whatever was not committed is discarded, as when a database session closes."""
        self.rollback()


def _restore(table: dict[K, V], key: K, previous: object) -> None:
    if previous is _MISSING:
        table.pop(key, None)
    else:
        table[key] = previous  # type: ignore[assignment]


def copied(value: V) -> V:
    """What a read hands out: a copy the caller may change freely."""
    return copy.deepcopy(value)
