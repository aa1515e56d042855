from __future__ import annotations

import uuid
from typing import Protocol

import msgspec


class LockLease(msgspec.Struct, frozen=True, kw_only=True):
    """Proof of holding a chat's lock; ``token`` is unique per acquisition so a holder whose lease expired
    cannot release or renew the lock someone else acquired since."""

    chat_id: uuid.UUID
    token: str


class ChatLock(Protocol):
    """At most one processor per chat, across processes.

    A lease expires after ``ttl_seconds`` unless renewed, so a crashed holder cannot block the chat forever;
    a holder running a long turn renews well before expiry (e.g. every ttl/3) and stops if ``renew`` returns
    False. Raises ``StorageUnavailable`` when the backing store is down after retries.
    """

    async def try_acquire(self, chat_id: uuid.UUID, ttl_seconds: float) -> LockLease | None:
        """The lease, or None at once when another holder has it."""
        ...

    async def acquire(self, chat_id: uuid.UUID, ttl_seconds: float, wait_seconds: float) -> LockLease | None:
        """Like ``try_acquire`` but keeps trying for up to ``wait_seconds``."""
        ...

    async def renew(self, lease: LockLease, ttl_seconds: float) -> bool:
        """Extends the lease to ``ttl_seconds`` from now; False when it was lost (expired, taken over)."""
        ...

    async def release(self, lease: LockLease) -> bool:
        """False when the lease was already lost; never releases someone else's lease."""
        ...
