from __future__ import annotations

from redis.asyncio import Redis

from adapters.redis.keys import DEFAULT_PREFIX
from adapters.redis.retry import RedisRetryPolicy, call_with_retry

# INCR, and start the window's expiry on the first attempt (or if a key somehow lost its TTL, so it can never
# block forever). Returns {count, milliseconds left in the window}.
_HIT = """
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}
"""


class RedisAttemptLimiter:
    """The shared ``AttemptLimiter``: one counter key per limited key, expiring with its window, so every API
    replica counts against the same budget."""

    def __init__(self, client: Redis, prefix: str = DEFAULT_PREFIX, retry: RedisRetryPolicy | None = None) -> None:
        self._client = client
        self._prefix = prefix
        self._policy = retry or RedisRetryPolicy()
        self._hit = client.register_script(_HIT)

    def _key(self, key: str) -> str:
        return f"{self._prefix}:attempts:{key}"

    async def hit(self, key: str, limit: int, window_seconds: float) -> float:
        window_ms = max(1, round(window_seconds * 1000))

        async def op(_: int) -> float:
            count, ttl_ms = await self._hit(keys=[self._key(key)], args=[window_ms])
            return 0.0 if int(count) <= limit else int(ttl_ms) / 1000

        # A retried INCR may count one attempt twice: harmless for a limit meant for floods.
        return await call_with_retry(op, policy=self._policy, what="attempts.hit")

    async def clear(self, key: str) -> None:
        async def op(_: int) -> None:
            await self._client.delete(self._key(key))

        await call_with_retry(op, policy=self._policy, what="attempts.clear")
