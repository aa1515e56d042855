from __future__ import annotations

import uuid
from typing import Any

from redis.asyncio import Redis

from adapters.redis.keys import DEFAULT_PREFIX, chat_key
from adapters.redis.retry import RetryPolicy, call_with_retry

_TTL_SECONDS = 24 * 3600


class RedisStopSignals:
    """A per-chat counter (INCR); it expires a day after the last stop, when no turn can still be waiting."""

    def __init__(self, client: Redis, prefix: str = DEFAULT_PREFIX, retry: RetryPolicy | None = None) -> None:
        self._client: Any = client  # redis-py's asyncio stubs type replies as ``Awaitable[T] | T``
        self._prefix = prefix
        self._policy = retry or RetryPolicy()

    async def request_stop(self, chat_id: uuid.UUID) -> None:
        key = chat_key(self._prefix, chat_id, "stop")

        async def op(_: int) -> None:
            async with self._client.pipeline(transaction=True) as pipe:
                await pipe.incr(key).expire(key, _TTL_SECONDS).execute()

        await call_with_retry(op, policy=self._policy, what="stop.request")

    async def generation(self, chat_id: uuid.UUID) -> int:
        key = chat_key(self._prefix, chat_id, "stop")

        async def op(_: int) -> int:
            value = await self._client.get(key)
            return int(value) if value is not None else 0

        return await call_with_retry(op, policy=self._policy, what="stop.generation")
