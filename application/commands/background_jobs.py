"""Background job commands: usage, summaries, titles, failures, the sweeper, the job list."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from application.commands.base import Command, Query
from domain.context import ChatContext
from domain.usage import TokenUsage

if TYPE_CHECKING:  # results named in quotes in the bases below (ruff does not read those: noqa F401)
    from application.ports.job_store import JobRecord  # noqa: F401
    from application.use_cases.jobs.get_usage import UsageReport  # noqa: F401
    from application.use_cases.jobs.sweep_stuck_work import SweepReport  # noqa: F401


class RecordTokenUsage(Command[TokenUsage], frozen=True, kw_only=True):
    """What one assistant message cost; keyed by the message, so running it twice counts it once."""

    owner_id: uuid.UUID
    chat_id: uuid.UUID
    message_id: uuid.UUID
    prompt_tokens: int
    completion_tokens: int
    estimated: bool = False


class GetUsage(Query["UsageReport"], frozen=True, kw_only=True):
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
