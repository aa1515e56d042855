from __future__ import annotations

import asyncio
import itertools
import logging
import uuid
from collections.abc import Awaitable, Callable

import msgspec

from adapters.jobs.retry_rules import RetryRules, Verdict, failure_reason
from application.commands import AnyCommand
from application.ports.job_store import JobRecord, JobStatus

log = logging.getLogger(__name__)

Dispatch = Callable[[AnyCommand], Awaitable[object]]
OnFailure = Callable[[AnyCommand, str], Awaitable[object]]


async def _ignore_failure(command: AnyCommand, reason: str) -> None:
    return None


class InProcessJobQueue:
    """Runs jobs as asyncio tasks of this process, with nothing durable: the unit tests' job runner, and the
    in-memory twin of both the durable runner (``PgJobQueue``) and arq.

    Same rules as those: one job per key at a time, bounded retries with backoff (``RetryRules``), then the
    job is kept as failed (``list``/``retry``, like ``JobStore``) and ``on_failure`` records it.
    """

    def __init__(
        self,
        dispatch: Dispatch,
        rules: RetryRules | None = None,
        on_failure: OnFailure | None = None,
        *,
        max_tries: int | None = None,
    ) -> None:
        self._dispatch = dispatch
        rules = rules or RetryRules(base_delay=0.5)
        if max_tries is not None:  # e.g. 1: run once, never retry (the in-process turn scheduler)
            rules = RetryRules(max_tries, rules.base_delay, rules.max_delay)
        self._rules = rules
        self._on_failure = on_failure or _ignore_failure
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
            try:
                await self._dispatch(command)
            except Exception as exc:
                verdict = self._rules.verdict(exc, attempt)
                self._set(job_id, last_error=failure_reason(exc))
                if verdict is Verdict.RETRY:
                    log.warning("job failed, retrying", extra={"job": key, "attempt": attempt})
                    self._set(job_id, status=JobStatus.QUEUED)
                    await asyncio.sleep(self._rules.delay(attempt))
                    continue
                if verdict is Verdict.FAIL:
                    log.error("job failed", extra={"job": key, "attempts": attempt, "error": repr(exc)})
                    self._set(job_id, status=JobStatus.FAILED)
                    await self._on_failure(command, failure_reason(exc))
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
