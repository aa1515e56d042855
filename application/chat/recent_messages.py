"""The chat's newest messages, read once per question by the stage manager and shared by the steps that would
each read them again (the question, the waiting edits, the history the answer is written from), with the chat's
rolling context read with them (``ConversationReader``)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from application.ports.conversation_reader import Conversation
from domain.context import ChatContext
from domain.messages import ChatMessage


@dataclass(frozen=True, slots=True)
class RecentMessages:
    messages: list[ChatMessage]
    """The newest visible messages (not replaced by an edit), oldest first."""
    whole_chat: bool
    """Whether they are all of the chat's visible messages (the page was not full)."""
    context: ChatContext | None
    """The chat's rolling context, read with the messages (``None``: it has none yet)."""

    @classmethod
    def of(cls, conversation: Conversation, limit: int) -> RecentMessages:
        """The page ``ConversationReader.read(..., limit)`` returned, and the context read with it."""
        newest = conversation.newest
        return cls(newest, whole_chat=len(newest) < limit, context=conversation.context)

    def find(self, message_id: uuid.UUID) -> ChatMessage | None:
        return next((m for m in self.messages if m.id == message_id), None)

    def before(self, position: int, limit: int) -> list[ChatMessage] | None:
        """What ``MessageRepository.list(chat_id, before=position, limit=limit)`` returns, taken from this page,
        or ``None`` when the page may not hold all of it (then read it)."""
        earlier = [m for m in self.messages if m.position < position]
        if len(earlier) >= limit:
            return earlier[len(earlier) - limit :]
        return earlier if self.whole_chat else None
