from __future__ import annotations

import contextlib
from typing import Any

from arq.worker import Retry
from redis.asyncio import Redis

from adapters.jobs.arq_failed_jobs import ArqFailedJobs
from adapters.jobs.arq_names import ArqNames
from adapters.jobs.command_codec import UndecodableJob, decode_command
from adapters.jobs.job_attempt import Dispatch, OnFailure, attempt_job, record_given_up
from application.commands import AnyCommand
from application.retries import JobRetryRules, Verdict


class ArqJobExecutor:
    """What the worker's ``dispatch`` function does with a job; the same rules as the embedded runner.

    arq counts a try each time a job starts, including starts after a worker died mid-job, so the limit holds
    for crash loops too. A retryable failure raises arq's ``Retry`` with our backoff; a final one is recorded
    (``ArqFailedJobs`` and ``on_failure``) and the job ends normally, leaving no arq result behind, so its
    key can be queued again. While a job runs, the worker's id is kept next to it, which lets the sweeper of
    another worker free it if this worker dies (its lease then lapses).
    """

    def __init__(self, redis: Redis, names: ArqNames, worker_id: str, dispatch: Dispatch, *, rules: JobRetryRules,
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
        if (reason := self._rules.exhausted(job_try)) is not None:
            return await self._give_up(job_id, command, payload, job_try, reason)
        await self._redis.hset(self._names.running, job_id, self._worker_id)
        try:
            outcome = await attempt_job(self._dispatch, command, attempt=job_try, rules=self._rules,
                                        timeout_seconds=self._timeout, job=job_id)
            if outcome.verdict is Verdict.FAIL and outcome.reason is not None:
                return await self._give_up(job_id, command, payload, job_try, outcome.reason)
        finally:
            with contextlib.suppress(Exception):
                await self._redis.hdel(self._names.running, job_id)
        if outcome.verdict is Verdict.RETRY:
            raise Retry(defer=outcome.delay)
        return "done" if outcome.verdict is None else "dropped"

    async def _give_up(self, job_id: str, command: AnyCommand, payload: bytes, attempts: int, reason: str) -> str:
        await self._failed.add(job_id, command=type(command).__name__, payload=payload, attempts=attempts,
                               error=reason)
        await record_given_up(self._on_failure, command, reason, job=job_id)
        return "failed"
