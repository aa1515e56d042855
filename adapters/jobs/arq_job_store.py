from __future__ import annotations

import builtins
import functools
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import TypeVar

from arq.connections import ArqRedis

from adapters.jobs.arq_failed_jobs import ArqFailedJobs
from adapters.jobs.arq_names import FUNCTION, ArqNames
from adapters.jobs.arq_unclaimed import GRACE_MS, ArqUnclaimedJobs
from adapters.jobs.command_codec import command_name, deserialize_envelope
from adapters.redis.retry import RedisRetryPolicy, call_with_retry
from application.ports.job_store import JobRecord, JobStatus

T = TypeVar("T")

# Jobs whose worker's lease has lapsed (``WorkerLease``: it died): free their in-progress key so any worker may
# run them again. A worker that is alive, however busy, keeps its lease, so its jobs are never started twice.
_RECOVER = """
local recovered = 0
local entries = redis.call('HGETALL', KEYS[1])
for i = 1, #entries, 2 do
  local job_id, worker = entries[i], entries[i + 1]
  if redis.call('EXISTS', ARGV[1] .. worker .. ARGV[2]) == 0 then
    redis.call('DEL', ARGV[3] .. job_id)
    redis.call('HDEL', KEYS[1], job_id)
    recovered = recovered + 1
  end
end
return recovered
"""


class ArqJobStore:
    """``JobStore`` over arq's keys: queued jobs are the queue's sorted set, running ones have an in-progress
    key, failed ones are kept by our ``dispatch`` function (``ArqFailedJobs``). Ids are the job keys."""

    def __init__(self, pool: ArqRedis, names: ArqNames, policy: RedisRetryPolicy | None = None, *,
                 unclaimed_grace_seconds: float = GRACE_MS / 1000) -> None:
        self._pool = pool
        self._names = names
        self._failed = ArqFailedJobs(pool, names)
        self._policy = policy or RedisRetryPolicy()
        self._recover = pool.register_script(_RECOVER)
        self._unclaimed = ArqUnclaimedJobs(pool, names, int(unclaimed_grace_seconds * 1000))

    async def _call(self, what: str, op: Callable[[], Awaitable[T]]) -> T:
        async def attempt(_: int) -> T:
            return await op()

        return await call_with_retry(attempt, policy=self._policy, what=what)

    async def list(self, statuses: frozenset[JobStatus]) -> list[JobRecord]:
        records: builtins.list[JobRecord] = []
        if statuses & {JobStatus.QUEUED, JobStatus.RUNNING}:
            records += [r for r in await self._call("list jobs", self._queued) if r.status in statuses]
        if JobStatus.FAILED in statuses:
            failed = await self._call("list failed jobs", self._failed.all)
            records += [
                JobRecord(id=f.key, key=f.key, command=f.command, status=JobStatus.FAILED, attempts=f.attempts,
                          last_error=f.last_error, enqueued_at=datetime.fromtimestamp(f.failed_at, UTC))
                for f in failed.values()
            ]
        return sorted(records, key=lambda r: r.enqueued_at or datetime.min.replace(tzinfo=UTC))

    async def _queued(self) -> builtins.list[JobRecord]:
        job_ids = [raw.decode() for raw in await self._pool.zrange(self._names.queue, 0, -1)]
        async with self._pool.pipeline(transaction=False) as pipe:
            for job_id in job_ids:
                pipe.get(self._names.job_data(job_id))
                pipe.exists(self._names.in_progress(job_id))
                pipe.get(self._names.tries(job_id))
            replies = await pipe.execute()
        records = []
        for i, job_id in enumerate(job_ids):
            data, in_progress, tries = replies[3 * i : 3 * i + 3]
            if data is None:
                continue
            envelope = deserialize_envelope(data)
            payload = envelope["a"][0] if envelope.get("a") else b""
            records.append(JobRecord(
                id=self._names.key_of(job_id), key=self._names.key_of(job_id), command=command_name(payload),
                status=JobStatus.RUNNING if in_progress else JobStatus.QUEUED, attempts=int(tries or 0),
                enqueued_at=datetime.fromtimestamp(envelope.get("et", 0) / 1000, UTC),
            ))
        return records

    async def retry(self, job_id: str) -> JobRecord | None:
        key = self._names.key_of(job_id)
        arq_id = self._names.job_id(key)
        record = await self._call("read failed job", lambda: self._failed.get(arq_id))
        if record is None:
            return None
        await self._call("retry job", lambda: self._pool.enqueue_job(
            FUNCTION, record.payload, _job_id=arq_id, _queue_name=self._names.queue))
        await self._call("forget failed job", lambda: self._failed.remove(arq_id))
        return JobRecord(id=key, key=key, command=record.command, status=JobStatus.QUEUED)

    async def is_active(self, key: str) -> bool:
        job_data = self._names.job_data(self._names.job_id(key))
        return bool(await self._call("job exists", lambda: self._pool.exists(job_data)))

    async def forget_owner(self, owner_id: uuid.UUID) -> int:
        """Failed records and queued jobs (not in progress) whose command payload names the owner."""
        needle = str(owner_id).encode()
        failed = await self._call("list failed jobs", self._failed.all)
        doomed_failed = [job_id for job_id, record in failed.items() if needle in record.payload]
        for job_id in doomed_failed:
            await self._call("forget failed job", functools.partial(self._failed.remove, job_id))
        return len(doomed_failed) + await self._call("forget queued jobs", lambda: self._forget_queued(needle))

    async def _forget_queued(self, needle: bytes) -> int:
        forgotten = 0
        for raw in await self._pool.zrange(self._names.queue, 0, -1):
            job_id = raw.decode()
            data = await self._pool.get(self._names.job_data(job_id))
            if data is None or await self._pool.exists(self._names.in_progress(job_id)):
                continue
            envelope = deserialize_envelope(data)
            payload = envelope["a"][0] if envelope.get("a") else b""
            if needle in payload:
                await self._pool.zrem(self._names.queue, job_id)
                await self._pool.delete(self._names.job_data(job_id))
                forgotten += 1
        return forgotten

    async def recover_abandoned(self) -> int:
        lease_prefix, lease_suffix = self._names.lease_key("\0").split("\0")
        in_progress_prefix = self._names.in_progress("")
        recovered = await self._call("recover jobs", lambda: self._recover(
            keys=[self._names.running], args=[lease_prefix, lease_suffix, in_progress_prefix]))
        unclaimed = await self._call("free unclaimed jobs", self._unclaimed.free)
        return int(recovered) + unclaimed
