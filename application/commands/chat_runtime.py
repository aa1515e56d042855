"""Chat runtime commands (the WebSocket): questions, edits, delivery, stop."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from application.commands.base import Command
from domain.messages import ChatMessage
from domain.snapshots import ChatSnapshot

if TYPE_CHECKING:  # results named in quotes in the bases below (ruff does not read those: noqa F401)
    from application.ports.delivery_log import Replay  # noqa: F401


class SendMessage(Command[ChatMessage], frozen=True, kw_only=True):
    """A question; with ``replaces``, an edit: it replaces that question and drops everything after it."""

    owner_id: uuid.UUID
    chat_id: uuid.UUID
    client_msg_id: str
    text: str
    replaces: uuid.UUID | None = None


class RegenerateAnswer(Command[ChatMessage], frozen=True, kw_only=True):
    """Answer the chat's last question (``message_id``) again: an edit that keeps its text."""

    owner_id: uuid.UUID
    chat_id: uuid.UUID
    client_msg_id: str
    message_id: uuid.UUID


class ProcessInbox(Command[int], frozen=True, kw_only=True):
    """Drain a chat's inbox: answer each queued user message in order (the stage manager)."""

    owner_id: uuid.UUID
    chat_id: uuid.UUID


class OpenChatSession(Command[ChatSnapshot], frozen=True, kw_only=True):
    """A socket attaches to a chat: proves ownership and returns where the chat's delivery log stands."""

    owner_id: uuid.UUID
    chat_id: uuid.UUID


class ResumeDelivery(Command["Replay"], frozen=True, kw_only=True):
    owner_id: uuid.UUID
    chat_id: uuid.UUID
    after_seq: int
    epoch: str | None = None


class CatchUpDelivery(Command["Replay"], frozen=True, kw_only=True):
    """The chat's frames after ``after_seq`` for a socket that proved the chat is its user's when it connected
    (``ResumeDelivery`` checks that again; a socket's catch-up reads, one or two per connection, need not)."""

    chat_id: uuid.UUID
    after_seq: int


class AcknowledgeDelivery(Command[ChatSnapshot], frozen=True, kw_only=True):
    owner_id: uuid.UUID
    chat_id: uuid.UUID
    seq: int


class StopAnswer(Command[None], frozen=True, kw_only=True):
    owner_id: uuid.UUID
    chat_id: uuid.UUID
