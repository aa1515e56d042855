from __future__ import annotations

import builtins
import uuid
from typing import Protocol

from domain.chats import Chat


class ChatRepository(Protocol):
    """Every read is scoped by owner: a foreign id behaves exactly like a missing one."""

    async def add(self, chat: Chat) -> None: ...

    async def get(self, owner_id: uuid.UUID, chat_id: uuid.UUID) -> Chat | None: ...

    async def list(self, owner_id: uuid.UUID) -> list[Chat]:
        """Pinned first, then most recently updated first."""
        ...

    async def search(self, owner_id: uuid.UUID, query: str, limit: int) -> builtins.list[Chat]:
        """At most ``limit`` chats whose title or a message in their history (not one an edit replaced) contains
        ``query``, ignoring case; ordered like ``list``."""
        ...

    async def update(self, chat: Chat) -> None: ...

    async def set_generated_title(self, owner_id: uuid.UUID, chat_id: uuid.UUID, title: str) -> bool:
        """Sets the title only while the user has not chosen one (checked in the same statement, so a rename
        committed meanwhile wins); ``updated_at`` is left alone. Returns whether it was set."""
        ...

    async def delete(self, owner_id: uuid.UUID, chat_id: uuid.UUID) -> bool:
        """Deletes the chat and its messages."""
        ...
