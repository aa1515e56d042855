from __future__ import annotations

import uuid
from typing import Protocol

from domain.chats import Chat


class ChatRepository(Protocol):
    """Every read is scoped by owner: a foreign id behaves exactly like a missing one."""

    async def add(self, chat: Chat) -> None: ...

    async def get(self, owner_id: uuid.UUID, chat_id: uuid.UUID) -> Chat | None: ...

    async def list(self, owner_id: uuid.UUID) -> list[Chat]:
        """Most recently updated first."""
        ...

    async def update(self, chat: Chat) -> None: ...

    async def delete(self, owner_id: uuid.UUID, chat_id: uuid.UUID) -> bool:
        """Deletes the chat and its messages."""
        ...
