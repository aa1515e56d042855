from __future__ import annotations

import uuid

import msgspec

from domain.errors import Conflict, NotFound
from domain.messages import ChatMessage
from tests.support.twins.store import MemorySession, copied


class MemoryMessageRepository:
    def __init__(self, session: MemorySession) -> None:
        self._session = session
        self._store = session.store

    def _in_chat(self, chat_id: uuid.UUID) -> list[ChatMessage]:
        return [m for m in self._store.messages.values() if m.chat_id == chat_id]

    async def add(self, message: ChatMessage) -> ChatMessage:
        """Raises ``NotFound`` (no such chat) and ``Conflict`` (``client_msg_id`` reused in the chat)."""
        if message.chat_id not in self._store.chats:
            raise NotFound("chat not found")
        if message.client_msg_id is not None and any(
            m.client_msg_id == message.client_msg_id for m in self._in_chat(message.chat_id)
        ):
            raise Conflict("this client_msg_id was already used in the chat")
        position = self._store.message_counts.get(message.chat_id, 0) + 1
        self._session.put(self._store.message_counts, message.chat_id, position)
        stored = msgspec.structs.replace(message, position=position)
        self._session.put(self._store.messages, stored.id, stored)
        return copied(stored)

    async def get(self, chat_id: uuid.UUID, message_id: uuid.UUID) -> ChatMessage | None:
        message = self._store.messages.get(message_id)
        return copied(message) if message is not None and message.chat_id == chat_id else None

    async def get_by_client_msg_id(self, chat_id: uuid.UUID, client_msg_id: str) -> ChatMessage | None:
        found = (m for m in self._in_chat(chat_id) if m.client_msg_id == client_msg_id)
        return copied(next(found, None))

    async def list(self, chat_id: uuid.UUID, *, before: int | None, limit: int) -> list[ChatMessage]:
        earlier = [m for m in self._in_chat(chat_id) if before is None or m.position < before]
        earlier.sort(key=lambda m: m.position)
        return [copied(m) for m in earlier[len(earlier) - max(limit, 0) :]]

    async def update(self, message: ChatMessage) -> None:
        stored = self._store.messages.get(message.id)
        if stored is None or stored.chat_id != message.chat_id:
            return
        changed = msgspec.structs.replace(
            stored,
            content=message.content,
            status=message.status,
            citations=list(message.citations),
            prompt_tokens=message.prompt_tokens,
            completion_tokens=message.completion_tokens,
            error=message.error,
        )
        self._session.put(self._store.messages, message.id, changed)
