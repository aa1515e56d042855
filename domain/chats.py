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
MAX_INSTRUCTIONS_LENGTH = 4000
"""Instructions ride along in every prompt: about 1,000 tokens at most, leaving room for passages."""
MIN_TEMPERATURE = 0.0
MAX_TEMPERATURE = 2.0
MAX_MODEL_NAME_LENGTH = 200
MAX_SEARCH_LENGTH = 200


def clean_search_query(raw: str) -> str | None:
    """A chat search's words, whitespace folded; None when there is nothing to search for (list them all)."""
    query = " ".join(check_text(raw, "q", multi_line=True).split())
    if len(query) > MAX_SEARCH_LENGTH:
        raise InvalidInput(f"a search must be at most {MAX_SEARCH_LENGTH} characters", field="q")
    return query or None


def clean_title(raw: str) -> str:
    title = " ".join(check_text(raw, "title", multi_line=True).split())
    if not title:
        raise InvalidInput("title must not be empty", field="title")
    if len(title) > MAX_TITLE_LENGTH:
        raise InvalidInput(f"title must be at most {MAX_TITLE_LENGTH} characters", field="title")
    return title


def clean_instructions(raw: str) -> str:
    instructions = check_text(raw, "instructions", multi_line=True).strip()
    if len(instructions) > MAX_INSTRUCTIONS_LENGTH:
        raise InvalidInput(
            f"instructions must be at most {MAX_INSTRUCTIONS_LENGTH} characters", field="instructions"
        )
    return instructions


def check_temperature(value: float | None) -> float | None:
    if value is not None and not MIN_TEMPERATURE <= value <= MAX_TEMPERATURE:
        raise InvalidInput(
            f"temperature must be between {MIN_TEMPERATURE:g} and {MAX_TEMPERATURE:g}", field="temperature"
        )
    return value


class ChatSettings(msgspec.Struct, frozen=True, kw_only=True):
    """How the chat's answers are written. Unset fields fall back to the server's configuration."""

    model: str | None = None
    """One of the models the provider lists; None: the configured default model."""
    instructions: str = ""
    """The person's own instructions, added to the system prompt of every answer."""
    temperature: float | None = None
    """0-2; None: the model server's default."""


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
    settings: ChatSettings = msgspec.field(default_factory=ChatSettings)
    pinned: bool = False
    """Listed before the unpinned chats, whatever their age."""

    def configure(self, settings: ChatSettings, now: datetime) -> None:
        """Checks the rules every entrypoint shares; whether the model exists is the use case's to check."""
        model = settings.model.strip() if settings.model is not None else None
        if model is not None and not 0 < len(model) <= MAX_MODEL_NAME_LENGTH:
            raise InvalidInput("model must be a model name", field="model")
        self.settings = ChatSettings(
            model=model,
            instructions=clean_instructions(settings.instructions),
            temperature=check_temperature(settings.temperature),
        )
        self.updated_at = now

    def limit_to(self, scope: DocumentScope, now: datetime) -> None:
        self.scope = scope
        self.updated_at = now

    def rename(self, title: str, now: datetime) -> None:
        self.title = clean_title(title)
        self.titled_by_user = True
        self.updated_at = now

    def pin(self, pinned: bool) -> bool:
        """Returns whether anything changed. ``updated_at`` stays: pinning is about the list, not the talk."""
        if pinned == self.pinned:
            return False
        self.pinned = pinned
        return True

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
