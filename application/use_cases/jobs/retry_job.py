from __future__ import annotations

from application.commands import RetryJob
from application.ports.job_store import JobRecord, JobStore
from domain.errors import NotFound


class RetryJobHandler:
    """Queues a failed job again with a fresh set of tries. Raises ``NotFound`` when no failed job has the id."""

    def __init__(self, jobs: JobStore) -> None:
        self._jobs = jobs

    async def __call__(self, command: RetryJob) -> JobRecord:
        record = await self._jobs.retry(command.job_id)
        if record is None:
            raise NotFound(f"no failed job {command.job_id}")
        return record
