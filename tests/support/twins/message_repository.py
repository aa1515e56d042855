from __future__ import annotations

import builtins
import uuid

import msgspec

from application.ports.message_repository import AddedQuestion
from domain.errors import Conflict, NotFound
from domain.messages import ChatMessage, MessageStatus, Role
from tests.support.twins.store import MemorySession, copied


class MemoryMessageRepository:
    def __init__(self, session: MemorySession) -> None:
        self._session = session
        self._store = session.store

    def _in_chat(self, chat_id: uuid.UUID) -> list[ChatMessage]:
        return [m for m in self._store.messages.values() if m.chat_id == chat_id]

    async def add(self, message: ChatMessage, *, owner_id: uuid.UUID | None = None) -> ChatMessage:
        """Raises ``NotFound`` (no such chat, or not ``owner_id``'s) and ``Conflict`` (``client_msg_id`` reused in
        the chat)."""
        chat = self._store.chats.get(message.chat_id)
        if chat is None or (owner_id is not None and chat.owner_id != owner_id):
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

    async def add_question(self, message: ChatMessage, *, owner_id: uuid.UUID) -> AddedQuestion:
        stored = await self.add(message, owner_id=owner_id)
        return AddedQuestion(message=stored, title_open=not self._store.chats[message.chat_id].titled_by_user)

    async def get(self, chat_id: uuid.UUID, message_id: uuid.UUID) -> ChatMessage | None:
        message = self._store.messages.get(message_id)
        return copied(message) if message is not None and message.chat_id == chat_id else None

    async def get_by_client_msg_id(self, chat_id: uuid.UUID, client_msg_id: str) -> ChatMessage | None:
        found = (m for m in self._in_chat(chat_id) if m.client_msg_id == client_msg_id)
        return copied(next(found, None))

    async def list(self, chat_id: uuid.UUID, *, before: int | None, limit: int) -> list[ChatMessage]:
        earlier = [m for m in self._in_chat(chat_id) if m.visible and (before is None or m.position < before)]
        earlier.sort(key=lambda m: m.position)
        return [copied(m) for m in earlier[max(0, len(earlier) - max(limit, 0)) :]]

    async def supersede(self, question: ChatMessage) -> builtins.list[uuid.UUID]:
        in_chat = self._in_chat(question.chat_id)
        replaced = next((m for m in in_chat if m.id == question.replaces), None)
        if replaced is None:
            return []
        dropped = {
            m.id
            for m in in_chat
            if m.visible
            and m.role is Role.USER
            and m.id != question.id
            and replaced.position <= m.position < question.position
        }
        marked = [
            m
            for m in in_chat
            if m.visible
            and m.id != question.id
            and (
                m.id in dropped
                or (m.reply_to is not None and (m.reply_to in dropped or self._replaced_by(m.reply_to, question.id)))
            )
        ]
        for message in marked:
            self._session.put(
                self._store.messages, message.id, msgspec.structs.replace(message, superseded_by=question.id)
            )
        return [m.id for m in sorted(marked, key=lambda m: m.position)]

    def _replaced_by(self, message_id: uuid.UUID, question_id: uuid.UUID) -> bool:
        message = self._store.messages.get(message_id)
        return message is not None and message.superseded_by == question_id

    async def settle(self, question: ChatMessage) -> bool:
        stored = self._store.messages.get(question.id)
        if stored is None or stored.chat_id != question.chat_id or stored.status is not MessageStatus.PENDING:
            return False
        self._session.put(self._store.messages, stored.id,
                          msgspec.structs.replace(stored, status=question.status, error=question.error))
        return True

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
