"""Commands and queries: frozen, validated-by-type messages that every entrypoint builds and dispatches.

Each has exactly one use case (see ``application.handlers``). ``owner_id``/``user_id`` always comes from the
authenticated identity, never from client input.
"""

from __future__ import annotations

import uuid

import msgspec

from domain.stages import Stage


class Command(msgspec.Struct, frozen=True, kw_only=True, tag=True):
    """Base of all commands; ``tag=True`` lets a job queue serialize any command and decode it back."""


# --- accounts -------------------------------------------------------------------------------------------
class RegisterUser(Command, frozen=True, kw_only=True):
    """A sign-up. ``by_operator`` is set only by the CLI (someone with the server's shell): it bypasses the
    sign-up mode, so a closed or invite-only server can still get its first account."""

    email: str
    password: str
    invite_code: str | None = None
    by_operator: bool = False


class Login(Command, frozen=True, kw_only=True):
    email: str
    password: str


class RefreshTokens(Command, frozen=True, kw_only=True):
    refresh_token: str


class Logout(Command, frozen=True, kw_only=True):
    refresh_token: str


class GetMe(Command, frozen=True, kw_only=True):
    user_id: uuid.UUID


# --- administration: ``actor_id`` is the signed-in administrator, or None for the operator at the CLI ---
class ListUsers(Command, frozen=True, kw_only=True):
    actor_id: uuid.UUID | None


class DisableUser(Command, frozen=True, kw_only=True):
    actor_id: uuid.UUID | None
    user_id: uuid.UUID


class EnableUser(Command, frozen=True, kw_only=True):
    actor_id: uuid.UUID | None
    user_id: uuid.UUID


class DeleteUser(Command, frozen=True, kw_only=True):
    actor_id: uuid.UUID | None
    user_id: uuid.UUID


class CreateInvitation(Command, frozen=True, kw_only=True):
    actor_id: uuid.UUID | None
    email: str | None = None


class ListInvitations(Command, frozen=True, kw_only=True):
    actor_id: uuid.UUID | None


class RevokeInvitation(Command, frozen=True, kw_only=True):
    actor_id: uuid.UUID | None
    invitation_id: uuid.UUID


# --- documents ------------------------------------------------------------------------------------------
class UploadDocument(Command, frozen=True, kw_only=True):
    owner_id: uuid.UUID
    filename: str
    content_type: str
    data: bytes
    tags: list[str] = msgspec.field(default_factory=list)


class TagDocument(Command, frozen=True, kw_only=True):
    owner_id: uuid.UUID
    document_id: uuid.UUID
    tags: list[str]


class ListDocuments(Command, frozen=True, kw_only=True):
    owner_id: uuid.UUID


class GetDocument(Command, frozen=True, kw_only=True):
    owner_id: uuid.UUID
    document_id: uuid.UUID


class GetDocumentFile(Command, frozen=True, kw_only=True):
    """The uploaded file itself, for the owner to view or download."""

    owner_id: uuid.UUID
    document_id: uuid.UUID


class DeleteDocument(Command, frozen=True, kw_only=True):
    owner_id: uuid.UUID
    document_id: uuid.UUID


class IndexDocument(Command, frozen=True, kw_only=True):
    owner_id: uuid.UUID
    document_id: uuid.UUID


class IndexDocuments(Command, frozen=True, kw_only=True):
    """Bulk indexing of several uploaded documents of one owner, pipelined (``ragchat ingest``)."""

    owner_id: uuid.UUID
    document_ids: list[uuid.UUID]


class SearchPassages(Command, frozen=True, kw_only=True):
    """Owner-scoped passage search; ``mode`` is "hybrid", "vector" or "keyword" (``SearchMode``)."""

    owner_id: uuid.UUID
    query: str
    k: int = 10
    mode: str = "hybrid"


# --- chats ----------------------------------------------------------------------------------------------
class CreateChat(Command, frozen=True, kw_only=True):
    owner_id: uuid.UUID
    title: str | None = None
    stage: Stage = Stage.ANSWERING


class ListChats(Command, frozen=True, kw_only=True):
    """The owner's chats, pinned first; with ``query``, only those whose title or a message contains it."""

    owner_id: uuid.UUID
    query: str | None = None


class GetChat(Command, frozen=True, kw_only=True):
    owner_id: uuid.UUID
    chat_id: uuid.UUID
    before: int | None = None
    limit: int = 50


class RenameChat(Command, frozen=True, kw_only=True):
    owner_id: uuid.UUID
    chat_id: uuid.UUID
    title: str


class PinChat(Command, frozen=True, kw_only=True):
    owner_id: uuid.UUID
    chat_id: uuid.UUID
    pinned: bool


class SetChatStage(Command, frozen=True, kw_only=True):
    owner_id: uuid.UUID
    chat_id: uuid.UUID
    stage: Stage


class ConfigureChat(Command, frozen=True, kw_only=True):
    """Replaces the chat's settings: model (None: the configured default), instructions, temperature."""

    owner_id: uuid.UUID
    chat_id: uuid.UUID
    model: str | None = None
    instructions: str = ""
    temperature: float | None = None


class ListModels(Command, frozen=True, kw_only=True):
    """The models a chat may choose (the provider's list, the configured default first)."""

    owner_id: uuid.UUID


class SetChatScope(Command, frozen=True, kw_only=True):
    """Limits the chat's answers to these documents and those carrying these tags; both empty: all."""

    owner_id: uuid.UUID
    chat_id: uuid.UUID
    document_ids: list[uuid.UUID] = msgspec.field(default_factory=list)
    tags: list[str] = msgspec.field(default_factory=list)


class DeleteChat(Command, frozen=True, kw_only=True):
    owner_id: uuid.UUID
    chat_id: uuid.UUID


# --- chat runtime (WebSocket) -----------------------------------------------------------------------------
class SendMessage(Command, frozen=True, kw_only=True):
    owner_id: uuid.UUID
    chat_id: uuid.UUID
    client_msg_id: str
    text: str


class ProcessInbox(Command, frozen=True, kw_only=True):
    """Drain a chat's inbox: answer each queued user message in order (the stage manager)."""

    owner_id: uuid.UUID
    chat_id: uuid.UUID


class OpenChatSession(Command, frozen=True, kw_only=True):
    """A socket attaches to a chat: proves ownership and returns where the chat's delivery log stands."""

    owner_id: uuid.UUID
    chat_id: uuid.UUID


class ResumeDelivery(Command, frozen=True, kw_only=True):
    owner_id: uuid.UUID
    chat_id: uuid.UUID
    after_seq: int
    epoch: str | None = None


class AcknowledgeDelivery(Command, frozen=True, kw_only=True):
    owner_id: uuid.UUID
    chat_id: uuid.UUID
    seq: int


class StopAnswer(Command, frozen=True, kw_only=True):
    owner_id: uuid.UUID
    chat_id: uuid.UUID


# --- background jobs --------------------------------------------------------------------------------------
class RecordTokenUsage(Command, frozen=True, kw_only=True):
    """What one assistant message cost; keyed by the message, so running it twice counts it once."""

    owner_id: uuid.UUID
    chat_id: uuid.UUID
    message_id: uuid.UUID
    prompt_tokens: int
    completion_tokens: int
    estimated: bool = False


class GetUsage(Command, frozen=True, kw_only=True):
    user_id: uuid.UUID


class SummarizeChat(Command, frozen=True, kw_only=True):
    """Fold the chat's older messages into its rolling summary (the chat context); serialized per chat."""

    owner_id: uuid.UUID
    chat_id: uuid.UUID


class TitleChat(Command, frozen=True, kw_only=True):
    """Name a new chat after its first question (background job); a title the user chose is never replaced."""

    owner_id: uuid.UUID
    chat_id: uuid.UUID
    message_id: uuid.UUID


class MarkIndexingFailed(Command, frozen=True, kw_only=True):
    """An indexing job gave up for good: the document shows ``failed`` with the reason."""

    owner_id: uuid.UUID
    document_id: uuid.UUID
    reason: str


class SweepStuckWork(Command, frozen=True, kw_only=True):
    """Re-queue work whose job vanished: documents left pending/indexing, unanswered messages, dead workers'
    jobs."""


class ListJobs(Command, frozen=True, kw_only=True):
    statuses: tuple[str, ...] = ("queued", "running", "failed")


class RetryJob(Command, frozen=True, kw_only=True):
    job_id: str
