from __future__ import annotations

import uuid
from typing import Protocol

import msgspec

from domain.usage import TokenUsage, UsageTotals


class ChatUsage(msgspec.Struct, kw_only=True, frozen=True):
    chat_id: uuid.UUID
    title: str
    totals: UsageTotals


class TokenUsageRepository(Protocol):
    """Token usage per assistant message, summed per chat and per user."""

    async def record(self, usage: TokenUsage) -> None:
        """Stores the usage of ``usage.message_id``, replacing what was stored for it: recording the same
        message twice never counts it twice."""
        ...

    async def totals(self, user_id: uuid.UUID) -> UsageTotals:
        """Everything the user spent, including chats deleted since."""
        ...

    async def per_chat(self, user_id: uuid.UUID) -> list[ChatUsage]:
        """The user's existing chats that used tokens, most tokens first."""
        ...

    async def forget_user(self, user_id: uuid.UUID) -> None:
        """Deletes everything recorded for the user (their account is being deleted)."""
        ...
