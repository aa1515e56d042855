"""Small builders for prompting tests: passages and chat messages with only the fields that matter."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from domain.documents import Passage
from domain.messages import ChatMessage, Role

CHAT_ID = uuid.uuid4()


def passage(text: str, filename: str = "guide.md", page: int | None = None) -> Passage:
    return Passage(
        chunk_id=uuid.uuid4(),
        document_id=uuid.uuid4(),
        filename=filename,
        ordinal=0,
        text=text,
        score=1.0,
        page=page,
    )


def message(role: Role, content: str, position: int) -> ChatMessage:
    return ChatMessage(
        id=uuid.uuid4(),
        chat_id=CHAT_ID,
        role=role,
        content=content,
        created_at=datetime(2026, 1, 1, tzinfo=UTC),
        position=position,
    )


def conversation(*contents: str, start: int = 1) -> list[ChatMessage]:
    """Alternating user/assistant messages, the first from the user."""
    return [message(Role.USER if i % 2 == 0 else Role.ASSISTANT, text, start + i) for i, text in enumerate(contents)]
