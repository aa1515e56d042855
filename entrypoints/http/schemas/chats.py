from __future__ import annotations

import uuid
from datetime import datetime

import msgspec

from application.ports.model_catalog import ModelChoices
from application.use_cases.chats.get_chat import ChatHistory
from domain.chats import Chat, ChatSettings
from domain.messages import ChatMessage, Citation, MessageStatus, Role, TurnFailure
from domain.stages import Stage
from entrypoints.http.schemas.text import ChatTitle, Instructions, ModelName, Temperature


class CreateChatRequest(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    title: ChatTitle | None = None
    stage: Stage = Stage.ANSWERING


class ScopeBody(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """The documents a chat's answers draw on: these ids plus every document with one of these tags. Both
    empty: all of the owner's documents (the default)."""

    document_ids: list[uuid.UUID] = msgspec.field(default_factory=list)
    tags: list[str] = msgspec.field(default_factory=list)


class ChatSettingsBody(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """How the chat's answers are written; sent whole, it replaces the chat's settings."""

    model: ModelName | None = None
    """null: the server's configured model."""
    instructions: Instructions = ""
    temperature: Temperature | None = None

    @classmethod
    def of(cls, settings: ChatSettings) -> ChatSettingsBody:
        return cls(model=settings.model, instructions=settings.instructions, temperature=settings.temperature)


class UpdateChatRequest(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    title: ChatTitle | None = None
    stage: Stage | None = None
    scope: ScopeBody | None = None
    settings: ChatSettingsBody | None = None
    pinned: bool | None = None


class ModelList(msgspec.Struct, frozen=True):
    default: str
    """The model a chat without one of its own uses."""
    items: list[str]
    """Every model a chat may choose, the default first."""

    @classmethod
    def of(cls, choices: ModelChoices) -> ModelList:
        return cls(default=choices.default, items=choices.models)


class ChatOut(msgspec.Struct, frozen=True):
    id: uuid.UUID
    title: str
    stage: Stage
    created_at: datetime
    updated_at: datetime
    scope: ScopeBody
    settings: ChatSettingsBody
    pinned: bool

    @classmethod
    def of(cls, chat: Chat) -> ChatOut:
        scope = ScopeBody(document_ids=list(chat.scope.document_ids), tags=list(chat.scope.tags))
        return cls(id=chat.id, title=chat.title, stage=chat.stage, created_at=chat.created_at,
                   updated_at=chat.updated_at, scope=scope, settings=ChatSettingsBody.of(chat.settings),
                   pinned=chat.pinned)


class ChatList(msgspec.Struct, frozen=True):
    items: list[ChatOut]


class MessageOut(msgspec.Struct, frozen=True):
    id: uuid.UUID
    role: Role
    content: str
    status: MessageStatus
    citations: list[Citation]
    client_msg_id: str | None
    reply_to: uuid.UUID | None
    created_at: datetime
    position: int
    error: TurnFailure | None
    """On an ``interrupted`` question: why its turn failed (code, message, whether a retry can help)."""

    @classmethod
    def of(cls, m: ChatMessage) -> MessageOut:
        return cls(id=m.id, role=m.role, content=m.content, status=m.status, citations=m.citations,
                   client_msg_id=m.client_msg_id, reply_to=m.reply_to, created_at=m.created_at,
                   position=m.position, error=m.error)


class ChatHistoryOut(msgspec.Struct, frozen=True):
    chat: ChatOut
    messages: list[MessageOut]
    next_before: int | None

    @classmethod
    def of(cls, history: ChatHistory) -> ChatHistoryOut:
        return cls(chat=ChatOut.of(history.chat), messages=[MessageOut.of(m) for m in history.messages],
                   next_before=history.next_before)
