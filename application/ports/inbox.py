from __future__ import annotations

import uuid
from typing import Protocol

import msgspec


class InboxItem(msgspec.Struct, frozen=True, kw_only=True):
    """A reference to an accepted user message; the message itself is already persisted."""

    chat_id: uuid.UUID
    message_id: uuid.UUID
    client_msg_id: str


class Inbox(Protocol):
    """Per-chat FIFO of accepted user messages, delivered at least once.

    ``take`` moves the oldest item to the chat's in-flight set; ``ack`` removes it after the turn. An
    item taken but never acknowledged (the process died mid-turn) stays in flight until ``recover`` puts
    it back at the front of the queue. Call ``recover`` only while holding the chat's ``ChatLock`` (then
    nobody else can be mid-turn on that chat), typically right after acquiring it. Delivery is
    at-least-once (a push retried after a lost reply may queue an item twice), so the consumer checks the
    message's status before answering it. Raises ``StorageUnavailable`` when the store is down after retries.
    """

    async def push(self, item: InboxItem) -> None: ...

    async def take(self, chat_id: uuid.UUID, wait_seconds: float = 0.0) -> InboxItem | None:
        """The oldest queued item, waiting up to ``wait_seconds`` for one (0: do not wait)."""
        ...

    async def ack(self, item: InboxItem) -> bool:
        """Done with a taken item; False when it was not in flight (already acked or recovered)."""
        ...

    async def recover(self, chat_id: uuid.UUID) -> int:
        """Puts every in-flight item back at the front of the queue, oldest first; returns how many."""
        ...

    async def depth(self, chat_id: uuid.UUID) -> int:
        """Queued items not yet taken; lets a processor re-check for work after releasing the lock."""
        ...

    async def pending_chats(self) -> set[uuid.UUID]:
        """Chats with queued or in-flight items, for a sweeper that resumes work after a crash."""
        ...
