from __future__ import annotations

import builtins
import uuid

import msgspec

from domain.chats import Chat
from tests.support.twins.store import MemorySession, copied


class MemoryChatRepository:
    """Owner-scoped like the PostgreSQL one; deleting a chat deletes its messages (the cascade)."""

    def __init__(self, session: MemorySession) -> None:
        self._session = session
        self._store = session.store

    def _owned(self, owner_id: uuid.UUID, chat_id: uuid.UUID) -> Chat | None:
        chat = self._store.chats.get(chat_id)
        return chat if chat is not None and chat.owner_id == owner_id else None

    async def add(self, chat: Chat) -> None:
        self._session.put(self._store.chats, chat.id, chat)
        self._session.put(self._store.message_counts, chat.id, 0)

    async def get(self, owner_id: uuid.UUID, chat_id: uuid.UUID) -> Chat | None:
        return copied(self._owned(owner_id, chat_id))

    async def list(self, owner_id: uuid.UUID) -> list[Chat]:
        owned = [c for c in self._store.chats.values() if c.owner_id == owner_id]
        owned.sort(key=lambda c: (c.pinned, c.updated_at, c.created_at, c.id), reverse=True)
        return [copied(c) for c in owned]

    async def search(self, owner_id: uuid.UUID, query: str, limit: int) -> builtins.list[Chat]:
        needle = query.lower()
        said = {m.chat_id for m in self._store.messages.values() if m.visible and needle in m.content.lower()}
        found = [c for c in await self.list(owner_id) if needle in c.title.lower() or c.id in said]
        return found[:limit]

    async def update(self, chat: Chat) -> None:
        stored = self._owned(chat.owner_id, chat.id)
        if stored is None:
            return
        changed = msgspec.structs.replace(
            stored,
            title=chat.title,
            stage=chat.stage,
            updated_at=chat.updated_at,
            scope=chat.scope,
            titled_by_user=chat.titled_by_user,
            pinned=chat.pinned,
            settings=chat.settings,
        )
        self._session.put(self._store.chats, chat.id, changed)

    async def set_generated_title(self, owner_id: uuid.UUID, chat_id: uuid.UUID, title: str) -> bool:
        stored = self._owned(owner_id, chat_id)
        if stored is None or stored.titled_by_user:
            return False
        self._session.put(self._store.chats, chat_id, msgspec.structs.replace(stored, title=title))
        return True

    async def delete(self, owner_id: uuid.UUID, chat_id: uuid.UUID) -> bool:
        if self._owned(owner_id, chat_id) is None:
            return False
        for message in [m for m in self._store.messages.values() if m.chat_id == chat_id]:
            self._session.remove(self._store.messages, message.id)
        self._session.remove(self._store.message_counts, chat_id)
        return self._session.remove(self._store.chats, chat_id)
