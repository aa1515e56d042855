from __future__ import annotations

import uuid

from application.commands import AnyCommand
from application.ports.job_store import JobRecord, JobStatus


class DeferredJobQueue:
    """A queue that holds what was enqueued (once per key) until its owner takes it: ``ragchat ingest`` runs the
    uploads' indexing itself, in order; use-case tests drain it by hand.

    It is its own ``JobStore`` too: what it holds is queued; nothing runs, fails or is abandoned here.
    """

    def __init__(self) -> None:
        self.jobs: dict[str, AnyCommand] = {}

    async def enqueue(self, command: AnyCommand, *, key: str) -> None:
        self.jobs.setdefault(key, command)

    def take_all(self) -> list[AnyCommand]:
        jobs, self.jobs = list(self.jobs.values()), {}
        return jobs

    async def list(self, statuses: frozenset[JobStatus]) -> list[JobRecord]:
        if JobStatus.QUEUED not in statuses:
            return []
        return [JobRecord(id=key, key=key, command=type(command).__name__, status=JobStatus.QUEUED)
                for key, command in self.jobs.items()]

    async def retry(self, job_id: str) -> JobRecord | None:
        return None

    async def is_active(self, key: str) -> bool:
        return key in self.jobs

    async def recover_abandoned(self) -> int:
        return 0

    async def forget_owner(self, owner_id: uuid.UUID) -> int:
        doomed = [key for key, command in self.jobs.items() if getattr(command, "owner_id", None) == owner_id]
        for key in doomed:
            del self.jobs[key]
        return len(doomed)
