from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import Any

from redis.asyncio import Redis

from adapters.redis.keys import DEFAULT_PREFIX, chat_key
from adapters.redis.retry import RedisRetryPolicy, call_with_retry

_TTL_SECONDS = 24 * 3600
CHECK_SECONDS = 0.1
"""How stale a watch's reading may be: a turn asks before every token, Redis is read at most this often."""


class RedisStopSignals:
    """A per-chat counter (INCR); it expires a day after the last stop, when no turn can still be waiting.

    A watch reads it with a ``GET`` at most every ``check_seconds``, not per token: a 500-token answer costs a
    few reads, and a stop from any process takes effect within ``check_seconds`` of the next token.
    """

    def __init__(
        self,
        client: Redis,
        prefix: str = DEFAULT_PREFIX,
        retry: RedisRetryPolicy | None = None,
        *,
        check_seconds: float = CHECK_SECONDS,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._client: Any = client  # redis-py's asyncio stubs type replies as ``Awaitable[T] | T``
        self._prefix = prefix
        self._policy = retry or RedisRetryPolicy()
        self._check_seconds = check_seconds
        self._monotonic = monotonic

    def _key(self, chat_id: uuid.UUID) -> str:
        return chat_key(self._prefix, chat_id, "stop")

    async def request_stop(self, chat_id: uuid.UUID) -> None:
        key = self._key(chat_id)

        async def op(_: int) -> None:
            async with self._client.pipeline(transaction=True) as pipe:
                await pipe.incr(key).expire(key, _TTL_SECONDS).execute()

        await call_with_retry(op, policy=self._policy, what="stop.request")

    async def read(self, chat_id: uuid.UUID) -> int:
        key = self._key(chat_id)

        async def op(_: int) -> int:
            value = await self._client.get(key)
            return int(value) if value is not None else 0

        return await call_with_retry(op, policy=self._policy, what="stop.generation")

    async def watch(self, chat_id: uuid.UUID) -> RedisStopWatch:
        return RedisStopWatch(self, chat_id, await self.read(chat_id), self._check_seconds, self._monotonic)


class RedisStopWatch:
    def __init__(
        self,
        signals: RedisStopSignals,
        chat_id: uuid.UUID,
        start: int,
        check_seconds: float,
        monotonic: Callable[[], float],
    ) -> None:
        self._signals = signals
        self._chat_id = chat_id
        self._start = start
        self._check_seconds = check_seconds
        self._monotonic = monotonic
        self._checked = monotonic()
        self._stopped = False

    async def stopped(self) -> bool:
        """Raises ``StorageUnavailable`` when Redis is down after retries (the turn then fails)."""
        now = self._monotonic()
        if self._stopped or now - self._checked < self._check_seconds:
            return self._stopped
        self._checked = now
        self._stopped = await self._signals.read(self._chat_id) != self._start
        return self._stopped
