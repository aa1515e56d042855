from __future__ import annotations

from application.commands import ListJobs
from application.ports.job_store import JobRecord, JobStatus, JobStore
from domain.errors import InvalidInput


class ListJobsHandler:
    """Queued, running and failed jobs for an operator. Raises ``InvalidInput`` for an unknown status."""

    def __init__(self, jobs: JobStore) -> None:
        self._jobs = jobs

    async def __call__(self, command: ListJobs) -> list[JobRecord]:
        try:
            statuses = frozenset(JobStatus(status) for status in command.statuses)
        except ValueError:
            known = ", ".join(status.value for status in JobStatus)
            raise InvalidInput(f"job status must be one of {known}", field="statuses") from None
        return await self._jobs.list(statuses)
