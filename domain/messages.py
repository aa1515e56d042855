"""Persisted chat turns: what each side said, with citations and the client's message id."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

import msgspec

from domain.errors import InvalidInput
from domain.text import check_text

MAX_MESSAGE_LENGTH = 8_000


class Role(StrEnum):
    USER = "user"
    ASSISTANT = "assistant"


class MessageStatus(StrEnum):
    PENDING = "pending"
    """A user message accepted but not answered yet (it sits in the inbox)."""
    COMPLETE = "complete"
    INTERRUPTED = "interrupted"
    """The answer stopped part-way (crash, model failure, user stop); the user may retry."""


def check_client_msg_id(raw: str) -> str:
    return check_text(raw, "client_msg_id")


class Citation(msgspec.Struct, kw_only=True, frozen=True):
    """A passage an answer actually cited as ``[n]``."""

    n: int
    chunk_id: uuid.UUID
    document_id: uuid.UUID
    filename: str
    text: str
    page: int | None = None
    heading_path: list[str] = msgspec.field(default_factory=list)
    char_start: int = 0
    char_end: int = 0


def clean_message_text(raw: str, limit: int = MAX_MESSAGE_LENGTH) -> str:
    text = check_text(raw, "text", multi_line=True).strip()
    if not text:
        raise InvalidInput("message text must not be empty", field="text")
    if len(text) > limit:
        raise InvalidInput(f"message text must be at most {limit} characters", field="text")
    return text


class TurnFailure(msgspec.Struct, kw_only=True, frozen=True):
    """Why a question's turn ended ``interrupted``, kept with the question so a reopened chat shows it (and
    offers Retry when ``retryable``) exactly as the live ``error`` frame did."""

    code: str
    message: str
    retryable: bool = False


class ChatMessage(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    chat_id: uuid.UUID
    role: Role
    content: str
    created_at: datetime
    status: MessageStatus = MessageStatus.COMPLETE
    client_msg_id: str | None = None
    reply_to: uuid.UUID | None = None
    citations: list[Citation] = msgspec.field(default_factory=list)
    prompt_tokens: int = 0
    completion_tokens: int = 0
    position: int = 0
    """Per-chat order, assigned by the repository; history pages by it."""
    error: TurnFailure | None = None
    """On an ``interrupted`` user message: why its turn failed. Cleared when the question is retried."""
    replaces: uuid.UUID | None = None
    """On a question written by an edit or a regenerate: the question it replaces, with everything after it."""
    superseded_by: uuid.UUID | None = None
    """Set when an edit or a regenerate replaced this message: it stays stored (its tokens were spent) but is no
    longer part of the conversation (history, prompts, search)."""

    @property
    def visible(self) -> bool:
        return self.superseded_by is None
