"""Chat commands and queries: create, list, rename, settings, scope, pin, delete."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

import msgspec

from application.commands.base import Command, Query
from domain.chats import Chat, ChatSettings
from domain.stages import Stage

if TYPE_CHECKING:  # results named in quotes in the bases below (ruff does not read those: noqa F401)
    from application.ports.model_catalog import ModelChoices  # noqa: F401
    from application.use_cases.chats.get_chat import ChatHistory  # noqa: F401


class CreateChat(Command[Chat], frozen=True, kw_only=True):
    owner_id: uuid.UUID
    title: str | None = None
    stage: Stage = Stage.ANSWERING


class ListChats(Query[list[Chat]], frozen=True, kw_only=True):
    """The owner's chats, pinned first; with ``query``, only those whose title or a message contains it."""

    owner_id: uuid.UUID
    query: str | None = None


class GetChat(Query["ChatHistory"], frozen=True, kw_only=True):
    owner_id: uuid.UUID
    chat_id: uuid.UUID
    before: int | None = None
    limit: int = 50


class RenameChat(Command[Chat], frozen=True, kw_only=True):
    owner_id: uuid.UUID
    chat_id: uuid.UUID
    title: str


class PinChat(Command[Chat], frozen=True, kw_only=True):
    owner_id: uuid.UUID
    chat_id: uuid.UUID
    pinned: bool


class SetChatStage(Command[Chat], frozen=True, kw_only=True):
    owner_id: uuid.UUID
    chat_id: uuid.UUID
    stage: Stage


class ConfigureChat(Command[Chat], frozen=True, kw_only=True):
    """Replaces the chat's settings: model (None: the configured default), instructions, temperature."""

    owner_id: uuid.UUID
    chat_id: uuid.UUID
    model: str | None = None
    instructions: str = ""
    temperature: float | None = None


class ListModels(Command["ModelChoices"], frozen=True, kw_only=True):
    """The models a chat may choose (the provider's list, the configured default first)."""

    owner_id: uuid.UUID


class SetChatScope(Command[Chat], frozen=True, kw_only=True):
    """Limits the chat's answers to these documents and those carrying these tags; both empty: all."""

    owner_id: uuid.UUID
    chat_id: uuid.UUID
    document_ids: list[uuid.UUID] = msgspec.field(default_factory=list)
    tags: list[str] = msgspec.field(default_factory=list)


class ScopeChange(msgspec.Struct, frozen=True, kw_only=True):
    document_ids: list[uuid.UUID] = msgspec.field(default_factory=list)
    tags: list[str] = msgspec.field(default_factory=list)


class UpdateChat(Command[Chat], frozen=True, kw_only=True):
    """Several changes to a chat in one commit; a field left None stays as it is."""

    owner_id: uuid.UUID
    chat_id: uuid.UUID
    title: str | None = None
    stage: Stage | None = None
    scope: ScopeChange | None = None
    settings: ChatSettings | None = None
    pinned: bool | None = None


class DeleteChat(Command[None], frozen=True, kw_only=True):
    owner_id: uuid.UUID
    chat_id: uuid.UUID
