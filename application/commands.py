"""Commands and queries: frozen, validated-by-type messages that every entrypoint builds and dispatches.

Each has exactly one use case (see ``application.handlers``). ``owner_id``/``user_id`` always comes from the
authenticated identity, never from client input.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any, Generic, TypeAlias, TypeVar

import msgspec

from domain.chats import Chat, ChatSettings
from domain.context import ChatContext
from domain.documents import Document, Passage
from domain.messages import ChatMessage
from domain.signup import Invitation
from domain.snapshots import ChatSnapshot
from domain.stages import Stage
from domain.usage import TokenUsage
from domain.users import User

if TYPE_CHECKING:  # results named in quotes in the bases below (ruff does not read those: noqa F401)
    from application.ports.delivery_log import Replay  # noqa: F401
    from application.ports.job_store import JobRecord  # noqa: F401
    from application.ports.model_catalog import ModelChoices  # noqa: F401
    from application.use_cases.accounts.token_pair import TokenPair  # noqa: F401
    from application.use_cases.admin.create_invitation import CreatedInvitation  # noqa: F401
    from application.use_cases.chats.get_chat import ChatHistory  # noqa: F401
    from application.use_cases.documents.get_document_file import DocumentFile  # noqa: F401
    from application.use_cases.documents.get_document_text import DocumentText  # noqa: F401
    from application.use_cases.documents.reindex import ReindexProgress, ReindexQueued  # noqa: F401
    from application.use_cases.jobs.get_usage import UsageReport  # noqa: F401
    from application.use_cases.jobs.sweep_stuck_work import SweepReport  # noqa: F401

R = TypeVar("R", covariant=True)


class Command(msgspec.Struct, Generic[R], frozen=True, kw_only=True, tag=True):
    """Base of all commands; ``R`` is what its use case returns, so ``bus.dispatch(command)`` is typed.

    ``tag=True`` lets a job queue serialize any command and decode it back.
    """


AnyCommand: TypeAlias = Command[Any]


# --- accounts -------------------------------------------------------------------------------------------
class RegisterUser(Command[User], frozen=True, kw_only=True):
    """A sign-up. ``by_operator`` is set only by the CLI (someone with the server's shell): it bypasses the
    sign-up mode, so a closed or invite-only server can still get its first account."""

    email: str
    password: str
    invite_code: str | None = None
    by_operator: bool = False


class Login(Command["TokenPair"], frozen=True, kw_only=True):
    email: str
    password: str


class RefreshTokens(Command["TokenPair"], frozen=True, kw_only=True):
    refresh_token: str


class Logout(Command[None], frozen=True, kw_only=True):
    refresh_token: str


class GetMe(Command[User], frozen=True, kw_only=True):
    user_id: uuid.UUID


# --- administration: ``actor_id`` is the signed-in administrator, or None for the operator at the CLI ---
class ListUsers(Command[list[User]], frozen=True, kw_only=True):
    actor_id: uuid.UUID | None


class FindUserByEmail(Command[User | None], frozen=True, kw_only=True):
    actor_id: uuid.UUID | None
    email: str


class DisableUser(Command[User], frozen=True, kw_only=True):
    actor_id: uuid.UUID | None
    user_id: uuid.UUID


class EnableUser(Command[User], frozen=True, kw_only=True):
    actor_id: uuid.UUID | None
    user_id: uuid.UUID


class DeleteUser(Command[None], frozen=True, kw_only=True):
    actor_id: uuid.UUID | None
    user_id: uuid.UUID


class CreateInvitation(Command["CreatedInvitation"], frozen=True, kw_only=True):
    actor_id: uuid.UUID | None
    email: str | None = None


class ListInvitations(Command[list[Invitation]], frozen=True, kw_only=True):
    actor_id: uuid.UUID | None


class RevokeInvitation(Command[None], frozen=True, kw_only=True):
    actor_id: uuid.UUID | None
    invitation_id: uuid.UUID


# --- documents ------------------------------------------------------------------------------------------
class UploadDocument(Command[Document], frozen=True, kw_only=True):
    owner_id: uuid.UUID
    filename: str
    content_type: str
    data: bytes
    tags: list[str] = msgspec.field(default_factory=list)
    source_url: str | None = None
    """Set by ``ImportWebPage``: where the bytes were fetched from."""


class ImportWebPage(Command[Document], frozen=True, kw_only=True):
    """Fetches a web page (HTML, or a PDF / text file) by URL and adds it like an upload."""

    owner_id: uuid.UUID
    url: str
    tags: list[str] = msgspec.field(default_factory=list)


class RefetchDocument(Command[Document], frozen=True, kw_only=True):
    """Fetches a document added by URL again; new content is indexed anew, unchanged content left alone."""

    owner_id: uuid.UUID
    document_id: uuid.UUID


class TagDocument(Command[Document], frozen=True, kw_only=True):
    owner_id: uuid.UUID
    document_id: uuid.UUID
    tags: list[str]


class ListDocuments(Command[list[Document]], frozen=True, kw_only=True):
    owner_id: uuid.UUID


class GetDocument(Command[Document], frozen=True, kw_only=True):
    owner_id: uuid.UUID
    document_id: uuid.UUID


class GetDocumentFile(Command["DocumentFile"], frozen=True, kw_only=True):
    """The uploaded file itself, for the owner to view or download."""

    owner_id: uuid.UUID
    document_id: uuid.UUID


class GetDocumentText(Command["DocumentText"], frozen=True, kw_only=True):
    """The document's text as indexed, with its sections, for formats a browser cannot show (Word)."""

    owner_id: uuid.UUID
    document_id: uuid.UUID


class DeleteDocument(Command[None], frozen=True, kw_only=True):
    owner_id: uuid.UUID
    document_id: uuid.UUID


class IndexDocument(Command[Document], frozen=True, kw_only=True):
    """``returns_failure``: a failure to embed is returned as the failed document rather than raised for a job
    runner to try again (the CLI indexes once and reports)."""

    owner_id: uuid.UUID
    document_id: uuid.UUID
    returns_failure: bool = False


class IndexDocuments(Command[list[Document]], frozen=True, kw_only=True):
    """Bulk indexing of several uploaded documents of one owner, pipelined (``ragchat ingest``)."""

    owner_id: uuid.UUID
    document_ids: list[uuid.UUID]


class ReembedDocument(Command[Document], frozen=True, kw_only=True):
    """Re-index one ready document with the current embedder while it stays searchable (``ragchat reindex``,
    the administrator's re-index jobs)."""

    owner_id: uuid.UUID
    document_id: uuid.UUID


class StartReindex(Command["ReindexQueued"], frozen=True, kw_only=True):
    """Queue a ``ReembedDocument`` job for every ready document (of ``user_id`` only, when given)."""

    actor_id: uuid.UUID | None
    user_id: uuid.UUID | None = None


class GetReindexProgress(Command["ReindexProgress"], frozen=True, kw_only=True):
    actor_id: uuid.UUID | None


class SearchPassages(Command[list[Passage]], frozen=True, kw_only=True):
    """Owner-scoped passage search; ``mode`` is "hybrid", "vector" or "keyword" (``SearchMode``)."""

    owner_id: uuid.UUID
    query: str
    k: int = 10
    mode: str = "hybrid"


# --- chats ----------------------------------------------------------------------------------------------
class CreateChat(Command[Chat], frozen=True, kw_only=True):
    owner_id: uuid.UUID
    title: str | None = None
    stage: Stage = Stage.ANSWERING


class ListChats(Command[list[Chat]], frozen=True, kw_only=True):
    """The owner's chats, pinned first; with ``query``, only those whose title or a message contains it."""

    owner_id: uuid.UUID
    query: str | None = None


class GetChat(Command["ChatHistory"], frozen=True, kw_only=True):
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


# --- chat runtime (WebSocket) -----------------------------------------------------------------------------
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


# --- background jobs --------------------------------------------------------------------------------------
class RecordTokenUsage(Command[TokenUsage], frozen=True, kw_only=True):
    """What one assistant message cost; keyed by the message, so running it twice counts it once."""

    owner_id: uuid.UUID
    chat_id: uuid.UUID
    message_id: uuid.UUID
    prompt_tokens: int
    completion_tokens: int
    estimated: bool = False


class GetUsage(Command["UsageReport"], frozen=True, kw_only=True):
    user_id: uuid.UUID


class SummarizeChat(Command[ChatContext | None], frozen=True, kw_only=True):
    """Fold the chat's older messages into its rolling summary (the chat context); serialized per chat."""

    owner_id: uuid.UUID
    chat_id: uuid.UUID


class TitleChat(Command[str | None], frozen=True, kw_only=True):
    """Name a new chat after its first question (background job); a title the user chose is never replaced."""

    owner_id: uuid.UUID
    chat_id: uuid.UUID
    message_id: uuid.UUID


class MarkIndexingFailed(Command[bool], frozen=True, kw_only=True):
    """An indexing job gave up for good: the document shows ``failed`` with the reason."""

    owner_id: uuid.UUID
    document_id: uuid.UUID
    reason: str


class SweepStuckWork(Command["SweepReport"], frozen=True, kw_only=True):
    """Re-queue work whose job vanished: documents left pending/indexing, unanswered messages, dead workers'
    jobs."""


class ListJobs(Command["list[JobRecord]"], frozen=True, kw_only=True):
    statuses: tuple[str, ...] = ("queued", "running", "failed")


class RetryJob(Command["JobRecord"], frozen=True, kw_only=True):
    job_id: str
