from __future__ import annotations

import uuid
from typing import Protocol

import msgspec

from domain.chats import Chat
from domain.context import ChatContext
from domain.messages import ChatMessage


class Conversation(msgspec.Struct, frozen=True, kw_only=True):
    chat: Chat
    newest: list[ChatMessage]
    """The newest visible messages (not replaced by an edit), oldest first."""
    context: ChatContext | None
    """The rolling summary of what fell out of the history, if one was written."""


class ConversationReader(Protocol):
    """What the stage manager reads before each question's turn, read together: in PostgreSQL one statement
    instead of three (the chat, its newest messages, its context), which is CPU every turn spends before it
    can ask the model."""

    async def read(self, owner_id: uuid.UUID, chat_id: uuid.UUID, limit: int) -> Conversation | None:
        """The owner's chat with its ``limit`` newest visible messages and its context; ``None`` when the chat
        is missing or another user's (exactly as ``ChatRepository.get``)."""
        ...
