"""Chats: a conversation's identity and settings."""

from __future__ import annotations

import uuid
from datetime import datetime

import msgspec

from domain.documents import DocumentScope
from domain.errors import InvalidInput
from domain.stages import Stage
from domain.text import check_text

MAX_TITLE_LENGTH = 200
DEFAULT_TITLE = "New chat"


def clean_title(raw: str) -> str:
    title = " ".join(check_text(raw, "title", multi_line=True).split())
    if not title:
        raise InvalidInput("title must not be empty", field="title")
    if len(title) > MAX_TITLE_LENGTH:
        raise InvalidInput(f"title must be at most {MAX_TITLE_LENGTH} characters", field="title")
    return title


class Chat(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    owner_id: uuid.UUID
    title: str
    stage: Stage
    created_at: datetime
    updated_at: datetime
    scope: DocumentScope = msgspec.field(default_factory=DocumentScope)
    """The documents its answers may draw on; empty means every document of the owner."""
    titled_by_user: bool = False
    """The person chose the title (at creation or by renaming): a generated title never replaces it."""

    def limit_to(self, scope: DocumentScope, now: datetime) -> None:
        self.scope = scope
        self.updated_at = now

    def rename(self, title: str, now: datetime) -> None:
        self.title = clean_title(title)
        self.titled_by_user = True
        self.updated_at = now

    def take_generated_title(self, title: str) -> bool:
        """Whether the generated title was taken: the user's own title always wins. ``updated_at`` stays, so a
        background title does not reorder the chat list."""
        cleaned = " ".join(title.split())[:MAX_TITLE_LENGTH]
        if self.titled_by_user or not cleaned or cleaned == self.title:
            return False
        self.title = cleaned
        return True

    def change_stage(self, stage: Stage, now: datetime) -> bool:
        """Returns whether anything changed, so callers only announce real changes."""
        if stage is self.stage:
            return False
        self.stage = stage
        self.updated_at = now
        return True
