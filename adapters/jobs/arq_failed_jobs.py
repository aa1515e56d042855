from __future__ import annotations

import time
from typing import Any

import msgspec
from redis.asyncio import Redis

from adapters.jobs.arq_names import ArqNames


class FailedJob(msgspec.Struct, frozen=True, kw_only=True):
    key: str
    command: str
    payload: bytes
    attempts: int
    last_error: str
    failed_at: float


class ArqFailedJobs:
    """The failed jobs of the arq mode, kept (without expiry) until retried: arq itself keeps no results."""

    def __init__(self, redis: Redis, names: ArqNames) -> None:
        self._redis: Any = redis  # redis-py's asyncio stubs type replies as ``Awaitable[T] | T``
        self._names = names

    async def add(self, job_id: str, *, command: str, payload: bytes, attempts: int, error: str) -> None:
        record = FailedJob(key=self._names.key_of(job_id), command=command, payload=payload, attempts=attempts,
                           last_error=error[:2000], failed_at=time.time())
        await self._redis.hset(self._names.failed, job_id, msgspec.msgpack.encode(record))

    async def all(self) -> dict[str, FailedJob]:
        raw = await self._redis.hgetall(self._names.failed)
        return {job_id.decode(): msgspec.msgpack.decode(data, type=FailedJob) for job_id, data in raw.items()}

    async def get(self, job_id: str) -> FailedJob | None:
        data = await self._redis.hget(self._names.failed, job_id)
        return None if data is None else msgspec.msgpack.decode(data, type=FailedJob)

    async def remove(self, job_id: str) -> None:
        await self._redis.hdel(self._names.failed, job_id)
