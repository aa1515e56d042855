from __future__ import annotations

import uuid
from typing import Protocol

from domain.context import ChatContext


class ChatContextRepository(Protocol):
    """One rolling context (summary) per chat; it goes when the chat goes."""

    async def get(self, chat_id: uuid.UUID) -> ChatContext | None: ...

    async def save(self, context: ChatContext) -> None:
        """Inserts or replaces the chat's context; a chat deleted meanwhile keeps none."""
        ...
