from __future__ import annotations

import asyncio
import contextlib
import logging

from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.jobs.command_codec import UndecodableJob, decode_command
from adapters.jobs.job_attempt import Dispatch, OnFailure, attempt_job, record_given_up
from adapters.jobs.pg_job_table import ClaimedJob, PgJobTable
from adapters.jobs.pg_runner_liveness import RunnerLiveness
from application.commands import AnyCommand
from application.retries import JobRetryRules, Verdict
from domain.errors import ServiceUnavailable

log = logging.getLogger(__name__)


class PgJobQueue:
    """The embedded mode's job queue and runner: jobs are rows of ``jobs`` (PostgreSQL), run as asyncio tasks.

    ``enqueue`` inserts a row (a key already queued or running is a no-op) and wakes the runner; the runner
    claims due rows with ``FOR UPDATE SKIP LOCKED`` (several processes may run on one database), runs each
    command, and settles its row: ``done``; ``queued`` again after a backoff (``JobRetryRules``); or ``failed``
    with the reason, after which ``on_failure`` records it where the user looks. Queued work survives a
    restart; on start, jobs left ``running`` by a dead runner are queued again (``RunnerLiveness``); a job
    cancelled by a graceful stop goes back to the queue without using up a try.
    """

    def __init__(self, engine: AsyncEngine, dispatch: Dispatch, *, rules: JobRetryRules, on_failure: OnFailure,
                 concurrency: int = 4, poll_seconds: float = 1.0, timeout_seconds: float = 3_600.0) -> None:
        self._table = PgJobTable(engine)
        self._liveness = RunnerLiveness(engine)
        self._dispatch = dispatch
        self._rules = rules
        self._on_failure = on_failure
        self._concurrency = concurrency
        self._poll = poll_seconds
        self._timeout = timeout_seconds
        self._tasks: dict[int, asyncio.Task[None]] = {}
        self._wake = asyncio.Event()
        self._capped = False
        """The last claim was limited by the free slots, so a finished job's slot may have due work waiting."""
        self._loop_task: asyncio.Task[None] | None = None
        self._next_liveness_check = 0.0

    async def enqueue(self, command: AnyCommand, *, key: str) -> None:
        if await self._table.insert(command, key):
            self._wake.set()

    async def start(self) -> None:
        await self._liveness.acquire()
        recovered = await self._table.requeue_abandoned(stale_after=self._timeout + 60)
        if recovered:
            log.warning("jobs of a stopped runner queued again", extra={"jobs": recovered})
        self._loop_task = asyncio.create_task(self._loop(), name="jobs:runner")

    async def stop(self) -> None:
        loop, self._loop_task = self._loop_task, None
        if loop is not None:
            loop.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await loop
        running = list(self._tasks.values())
        for task in running:
            task.cancel()
        await asyncio.gather(*running, return_exceptions=True)
        await self._liveness.release()

    async def _loop(self) -> None:
        while True:
            self._wake.clear()
            try:
                await self._stay_alive()
                free = self._concurrency - len(self._tasks)
                claimed = await self._table.claim(free, self._liveness.key) if free > 0 else []
                self._capped = free <= 0 or len(claimed) == free
                for job in claimed:
                    self._tasks[job.id] = asyncio.create_task(self._run(job), name=f"job:{job.key}")
            except ServiceUnavailable:
                log.warning("cannot claim jobs; the database is unavailable", exc_info=True)
            except Exception:  # the runner must outlive any one bad claim
                log.exception("claiming jobs failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self._poll)

    async def _stay_alive(self) -> None:
        """If our liveness lock was lost, other runners are free to take our running jobs (and will): stop them
        here so none runs twice, then carry on under a new lock."""
        now = asyncio.get_running_loop().time()
        if now < self._next_liveness_check:
            return
        self._next_liveness_check = now + self._poll
        if await self._liveness.holds():
            return
        log.warning("the runner's liveness lock was lost; its running jobs are handed over",
                    extra={"jobs": len(self._tasks)})
        running = list(self._tasks.values())
        for task in running:
            task.cancel()
        await asyncio.gather(*running, return_exceptions=True)
        await self._liveness.release()
        await self._liveness.acquire()

    async def _run(self, job: ClaimedJob) -> None:
        try:
            await self._execute(job)
        finally:
            self._tasks.pop(job.id, None)
            if self._capped:  # due jobs may have waited for this slot; otherwise enqueue or the poll wakes us
                self._wake.set()

    async def _execute(self, job: ClaimedJob) -> None:
        try:
            command = decode_command(job.payload)
        except UndecodableJob as exc:
            await self._settle(job, "failed", error=f"undecodable job: {exc}")
            return
        if (reason := self._rules.exhausted(job.attempts)) is not None:
            await self._settle(job, "failed", error=reason)
            await record_given_up(self._on_failure, command, reason, job=job.key)
            return
        try:
            outcome = await attempt_job(self._dispatch, command, attempt=job.attempts, rules=self._rules,
                                        timeout_seconds=self._timeout, job=job.key)
        except asyncio.CancelledError:
            await asyncio.shield(self._settle(job, "queued", refund_attempt=True))
            raise
        if outcome.verdict is Verdict.RETRY:
            await self._settle(job, "queued", error=outcome.reason, delay=outcome.delay)
        elif outcome.verdict is Verdict.FAIL and outcome.reason is not None:
            await self._settle(job, "failed", error=outcome.reason)
            await record_given_up(self._on_failure, command, outcome.reason, job=job.key)
        else:
            await self._settle(job, "done", error=outcome.reason)

    async def _settle(self, job: ClaimedJob, status: str, *, error: str | None = None, delay: float = 0.0,
                      refund_attempt: bool = False) -> None:
        for attempt in range(3):
            try:
                await self._table.settle(job.id, job.runner, status=status, error=error, delay=delay,
                                         refund_attempt=refund_attempt)
                if status == "queued":
                    self._wake.set()
                return
            except ServiceUnavailable:
                await asyncio.sleep(0.2 * 2**attempt)
        log.error("could not record a job's end; the sweeper will queue it again", extra={"job": job.key})
