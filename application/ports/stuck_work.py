from __future__ import annotations

import uuid
from datetime import datetime
from typing import Protocol

import msgspec


class WaitingDocument(msgspec.Struct, kw_only=True, frozen=True):
    owner_id: uuid.UUID
    document_id: uuid.UUID


class WaitingMessage(msgspec.Struct, kw_only=True, frozen=True):
    owner_id: uuid.UUID
    chat_id: uuid.UUID
    message_id: uuid.UUID
    client_msg_id: str


class StuckWork(Protocol):
    """Work that should be moving but has not changed since ``before``: what the sweeper re-queues.

    Unlike the repositories this looks across all owners, so only background jobs use it.
    """

    async def waiting_documents(self, before: datetime, limit: int) -> list[WaitingDocument]:
        """Documents ``pending`` or ``indexing`` last updated before ``before``, oldest first."""
        ...

    async def waiting_messages(self, before: datetime, limit: int) -> list[WaitingMessage]:
        """User messages still ``pending`` (unanswered) created before ``before``, oldest first."""
        ...
