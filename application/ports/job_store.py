from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Protocol

import msgspec


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    FAILED = "failed"


class JobRecord(msgspec.Struct, kw_only=True, frozen=True):
    """What an operator sees of a background job."""

    id: str
    """What ``ragchat jobs retry`` takes."""
    key: str
    """The deterministic identity (``index:<document id>``, ``turn:<message id>``, ...)."""
    command: str
    status: JobStatus
    attempts: int = 0
    last_error: str | None = None
    enqueued_at: datetime | None = None


class JobStore(Protocol):
    """The operator's (and the sweeper's) view of the job queue, whichever queue runs the jobs."""

    async def list(self, statuses: frozenset[JobStatus]) -> list[JobRecord]:
        """Jobs in the given statuses, oldest first."""
        ...

    async def retry(self, job_id: str) -> JobRecord | None:
        """Queues a failed job again with a fresh set of tries; None when no failed job has this id."""
        ...

    async def is_active(self, key: str) -> bool:
        """Whether a job with this key is queued or running (so the work is not stuck, just waiting)."""
        ...

    async def recover_abandoned(self) -> int:
        """Makes jobs claimed by dead workers runnable again (and forgets long-finished ones); returns how
        many were recovered."""
        ...

    async def forget_owner(self, owner_id: uuid.UUID) -> int:
        """Drops the jobs that are not running and act on this owner's data (their account is being
        deleted): queued, failed and finished ones. Returns how many."""
        ...
