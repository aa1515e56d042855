from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from arq.worker import Retry
from redis.asyncio import Redis

from adapters.jobs.arq_failed_jobs import ArqFailedJobs
from adapters.jobs.arq_names import ArqNames
from adapters.jobs.command_codec import UndecodableJob, decode_command
from adapters.jobs.retry_rules import RetryRules, Verdict, failure_reason
from application.commands import AnyCommand

log = logging.getLogger(__name__)

Dispatch = Callable[[AnyCommand], Awaitable[object]]
OnFailure = Callable[[AnyCommand, str], Awaitable[object]]


class ArqJobExecutor:
    """What the worker's ``dispatch`` function does with a job; the same rules as the embedded runner.

    arq counts a try each time a job starts, including starts after a worker died mid-job, so the limit holds
    for crash loops too. A retryable failure raises arq's ``Retry`` with our backoff; a final one is recorded
    (``ArqFailedJobs`` and ``on_failure``) and the job ends normally, leaving no arq result behind, so its
    key can be queued again. While a job runs, the worker's id is kept next to it, which lets the sweeper of
    another worker free it if this worker dies (its lease then lapses).
    """

    def __init__(self, redis: Redis, names: ArqNames, worker_id: str, dispatch: Dispatch, *, rules: RetryRules,
                 on_failure: OnFailure, timeout_seconds: float) -> None:
        self._redis: Any = redis  # redis-py's asyncio stubs type replies as ``Awaitable[T] | T``
        self._names = names
        self._worker_id = worker_id
        self._dispatch = dispatch
        self._rules = rules
        self._on_failure = on_failure
        self._timeout = timeout_seconds
        self._failed = ArqFailedJobs(redis, names)

    async def run(self, job_id: str, job_try: int, payload: bytes) -> str:
        try:
            command = decode_command(payload)
        except UndecodableJob as exc:
            await self._failed.add(job_id, command="?", payload=payload, attempts=job_try, error=str(exc))
            return "failed"
        if job_try > self._rules.max_tries:
            return await self._give_up(job_id, command, payload, job_try,
                                       f"gave up after {self._rules.max_tries} tries: the job never finished")
        await self._redis.hset(self._names.running, job_id, self._worker_id)
        try:
            await asyncio.wait_for(self._dispatch(command), self._timeout)
        except Exception as exc:
            verdict = self._rules.verdict(exc, job_try)
            log.warning("job failed", extra={"job": job_id, "attempt": job_try, "verdict": verdict.value},
                        exc_info=verdict is not Verdict.DROP)
            if verdict is Verdict.RETRY:
                raise Retry(defer=self._rules.delay(job_try)) from exc
            if verdict is Verdict.FAIL:
                return await self._give_up(job_id, command, payload, job_try, failure_reason(exc))
            return "dropped"
        finally:
            with contextlib.suppress(Exception):
                await self._redis.hdel(self._names.running, job_id)
        return "done"

    async def _give_up(self, job_id: str, command: AnyCommand, payload: bytes, attempts: int, reason: str) -> str:
        await self._failed.add(job_id, command=type(command).__name__, payload=payload, attempts=attempts,
                               error=reason)
        try:
            await self._on_failure(command, reason)
        except Exception:
            log.exception("could not record a failed job", extra={"job": job_id})
        return "failed"
