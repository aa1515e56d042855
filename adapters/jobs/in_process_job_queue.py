from __future__ import annotations

import asyncio
import itertools
import uuid

import msgspec

from adapters.jobs.job_attempt import Dispatch, OnFailure, attempt_job, ignore_failure, record_given_up
from application.commands import AnyCommand
from application.ports.job_store import JobRecord, JobStatus
from application.retries import JobRetryRules, Verdict


class InProcessJobQueue:
    """Runs jobs as asyncio tasks of this process, with nothing durable: the unit tests' job runner, and the
    in-memory twin of both the durable runner (``PgJobQueue``) and arq.

    Same rules as those (``job_attempt``): one job per key at a time, each try within ``timeout_seconds``
    (None: no limit), bounded retries with backoff (``JobRetryRules``), then the job is kept as failed
    (``list``/``retry``, like ``JobStore``) and ``on_failure`` records it.
    """

    def __init__(
        self,
        dispatch: Dispatch,
        rules: JobRetryRules | None = None,
        on_failure: OnFailure | None = None,
        *,
        max_tries: int | None = None,
        timeout_seconds: float | None = None,
    ) -> None:
        self._dispatch = dispatch
        rules = rules or JobRetryRules(base_delay=0.5)
        if max_tries is not None:  # e.g. 1: run once, never retry
            rules = JobRetryRules(max_tries, rules.base_delay, rules.max_delay)
        self._rules = rules
        self._on_failure = on_failure or ignore_failure
        self._timeout = timeout_seconds
        self._running: dict[str, asyncio.Task[None]] = {}
        self._running_commands: dict[str, AnyCommand] = {}
        self._records: dict[str, JobRecord] = {}
        self._commands: dict[str, AnyCommand] = {}
        self._ids = itertools.count(1)

    async def enqueue(self, command: AnyCommand, *, key: str) -> None:
        if key in self._running:
            return
        job_id = str(next(self._ids))
        self._commands[job_id] = command
        self._records[job_id] = JobRecord(id=job_id, key=key, command=type(command).__name__,
                                          status=JobStatus.QUEUED)
        task = asyncio.create_task(self._run(job_id, command, key), name=f"job:{key}")
        self._running[key] = task
        self._running_commands[key] = command
        task.add_done_callback(lambda _t: (self._running.pop(key, None), self._running_commands.pop(key, None)))

    async def _run(self, job_id: str, command: AnyCommand, key: str) -> None:
        for attempt in range(1, self._rules.max_tries + 1):
            self._set(job_id, status=JobStatus.RUNNING, attempts=attempt)
            outcome = await attempt_job(self._dispatch, command, attempt=attempt, rules=self._rules,
                                        timeout_seconds=self._timeout, job=key)
            if outcome.reason is not None:
                self._set(job_id, last_error=outcome.reason)
            if outcome.verdict is Verdict.RETRY:
                self._set(job_id, status=JobStatus.QUEUED)
                await asyncio.sleep(outcome.delay)
                continue
            if outcome.verdict is Verdict.FAIL and outcome.reason is not None:
                self._set(job_id, status=JobStatus.FAILED)
                await record_given_up(self._on_failure, command, outcome.reason, job=key)
                return
            self._forget(job_id)
            return

    def _set(self, job_id: str, **changes: object) -> None:
        self._records[job_id] = msgspec.structs.replace(self._records[job_id], **changes)

    def _forget(self, job_id: str) -> None:
        self._records.pop(job_id, None)
        self._commands.pop(job_id, None)

    # --- JobStore -------------------------------------------------------------------------------------
    async def list(self, statuses: frozenset[JobStatus]) -> list[JobRecord]:
        return [record for record in self._records.values() if record.status in statuses]

    async def retry(self, job_id: str) -> JobRecord | None:
        record = self._records.get(job_id)
        if record is None or record.status is not JobStatus.FAILED:
            return None
        command = self._commands[job_id]
        self._forget(job_id)
        await self.enqueue(command, key=record.key)
        return next(r for r in self._records.values() if r.key == record.key and r.status is not JobStatus.FAILED)

    async def is_active(self, key: str) -> bool:
        return key in self._running

    async def recover_abandoned(self) -> int:
        return 0  # nothing outlives this process

    async def forget_owner(self, owner_id: uuid.UUID) -> int:
        """Only failed jobs are kept here once they stop running."""
        doomed = [
            job_id
            for job_id, record in self._records.items()
            if record.status is JobStatus.FAILED and getattr(self._commands.get(job_id), "owner_id", None) == owner_id
        ]
        for job_id in doomed:
            self._forget(job_id)
        return len(doomed)

    async def drain(self) -> None:
        """Waits for every queued job, including jobs queued by jobs (tests and graceful shutdown)."""
        while self._running:
            await asyncio.gather(*list(self._running.values()), return_exceptions=True)

    def unfinished(self) -> tuple[AnyCommand, ...]:
        """Commands whose job has not ended yet (running, or waiting to retry)."""
        return tuple(self._running_commands.values())

    async def close(self) -> None:
        for task in list(self._running.values()):
            task.cancel()
        await asyncio.gather(*list(self._running.values()), return_exceptions=True)
