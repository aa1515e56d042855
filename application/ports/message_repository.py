from __future__ import annotations

import builtins
import uuid
from typing import Protocol

import msgspec

from domain.messages import ChatMessage


class AddedQuestion(msgspec.Struct, frozen=True, kw_only=True):
    message: ChatMessage
    """As stored, with its ``position``."""
    title_open: bool
    """Whether the chat's title is still for the title job to write (the user has not set one)."""


class MessageRepository(Protocol):
    async def add(self, message: ChatMessage, *, owner_id: uuid.UUID | None = None) -> ChatMessage:
        """Stores the message and returns it with its per-chat ``position`` assigned.

        Raises ``NotFound`` when the chat is missing or, given ``owner_id``, is not that user's (checked in the
        same statement, so a question needs no read of its chat first), and ``Conflict`` when ``client_msg_id`` is
        already used in the chat (idempotent resend); the caller's transaction goes on, and the conflicting
        message consumed no position.
        """
        ...

    async def add_question(self, message: ChatMessage, *, owner_id: uuid.UUID) -> AddedQuestion:
        """``add`` with ``owner_id`` (same errors), also telling whether the chat's title is open, read in the
        same statement: a chat's first question needs no read of its chat to know whether to title it."""
        ...

    async def get(self, chat_id: uuid.UUID, message_id: uuid.UUID) -> ChatMessage | None: ...

    async def get_by_client_msg_id(self, chat_id: uuid.UUID, client_msg_id: str) -> ChatMessage | None: ...

    async def list(self, chat_id: uuid.UUID, *, before: int | None, limit: int) -> list[ChatMessage]:
        """The ``limit`` visible messages (not replaced by an edit) just before position ``before`` (or the latest),
        oldest first."""
        ...

    async def supersede(self, question: ChatMessage) -> builtins.list[uuid.UUID]:
        """Applies the edit ``question`` (whose ``replaces`` is set): marks as replaced by it every visible
        question from the replaced one's position up to its own, and every visible message answering one of
        them. Answers to earlier questions are kept, and so is anything after ``question``. Returns the ids it
        marked, in position order (none when the edit was applied before)."""
        ...

    async def update(self, message: ChatMessage) -> None: ...

    async def settle(self, question: ChatMessage) -> bool:
        """Stores a turn's outcome on its question (status and error) only if the question is still
        ``pending``; False when another turn settled it first. Two turns can answer one question when the
        chat's lock was lost (the lock store restarted, a stall outlived the lease): this is the fence that
        keeps the conversation to one answer. In a transaction, the loser waits for the winner's commit."""
        ...
