"""The administrator's re-index: a ``ReembedDocument`` job per ready document, and how far they have got.

Jobs are keyed ``reembed:<document id>``, so pressing the button twice queues nothing twice; progress is read
from the job queue itself (jobs still queued, running, failed), which every process shares.
"""

from __future__ import annotations

import msgspec

from application.commands import GetReindexProgress, ReembedDocument, StartReindex
from application.ports.document_repository import DocumentRepository
from application.ports.job_queue import JobQueue
from application.ports.job_store import JobStatus, JobStore
from application.ports.user_repository import UserRepository
from application.use_cases.admin.administrator import ensure_administrator, existing_user
from domain.documents import DocumentStatus

KEY_PREFIX = "reembed:"


class ReindexQueued(msgspec.Struct, kw_only=True, frozen=True):
    documents: int
    """Ready documents queued for re-embedding."""


class ReindexProgress(msgspec.Struct, kw_only=True, frozen=True):
    queued: int
    running: int
    failed: int


class StartReindexHandler:
    """Raises ``Forbidden`` unless the actor is the administrator (or the operator), ``NotFound`` for an
    unknown ``user_id``."""

    def __init__(self, users: UserRepository, documents: DocumentRepository, jobs: JobQueue) -> None:
        self._users, self._documents, self._jobs = users, documents, jobs

    async def __call__(self, command: StartReindex) -> ReindexQueued:
        await ensure_administrator(self._users, command.actor_id)
        if command.user_id is not None:
            owners = [await existing_user(self._users, command.user_id)]
        else:
            owners = await self._users.list_all()
        queued = 0
        for owner in owners:
            for document in await self._documents.list(owner.id):
                if document.status is DocumentStatus.READY:
                    job = ReembedDocument(owner_id=owner.id, document_id=document.id)
                    await self._jobs.enqueue(job, key=f"{KEY_PREFIX}{document.id}")
                    queued += 1
        return ReindexQueued(documents=queued)


class GetReindexProgressHandler:
    """Raises ``Forbidden`` unless the actor is the administrator (or the operator)."""

    def __init__(self, users: UserRepository, jobs: JobStore) -> None:
        self._users, self._jobs = users, jobs

    async def __call__(self, command: GetReindexProgress) -> ReindexProgress:
        await ensure_administrator(self._users, command.actor_id)
        records = await self._jobs.list(frozenset(JobStatus))
        counts = dict.fromkeys(JobStatus, 0)
        for record in records:
            if record.key.startswith(KEY_PREFIX):
                counts[record.status] += 1
        return ReindexProgress(
            queued=counts[JobStatus.QUEUED], running=counts[JobStatus.RUNNING], failed=counts[JobStatus.FAILED]
        )
