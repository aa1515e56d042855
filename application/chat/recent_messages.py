"""The chat's newest messages, read once per question by the stage manager and shared by the steps that would
each read them again (the question, the waiting edits, the history the answer is written from)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from application.ports.message_repository import MessageRepository
from domain.messages import ChatMessage


@dataclass(frozen=True, slots=True)
class RecentMessages:
    messages: list[ChatMessage]
    """The newest visible messages (not replaced by an edit), oldest first."""
    whole_chat: bool
    """Whether they are all of the chat's visible messages (the page was not full)."""

    @classmethod
    async def read(cls, messages: MessageRepository, chat_id: uuid.UUID, limit: int) -> RecentMessages:
        page = await messages.list(chat_id, before=None, limit=limit)
        return cls(page, whole_chat=len(page) < limit)

    def find(self, message_id: uuid.UUID) -> ChatMessage | None:
        return next((m for m in self.messages if m.id == message_id), None)

    def before(self, position: int, limit: int) -> list[ChatMessage] | None:
        """What ``MessageRepository.list(chat_id, before=position, limit=limit)`` returns, taken from this page,
        or ``None`` when the page may not hold all of it (then read it)."""
        earlier = [m for m in self.messages if m.position < position]
        if len(earlier) >= limit:
            return earlier[len(earlier) - limit :]
        return earlier if self.whole_chat else None
