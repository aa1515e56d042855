"""Per-chat locks in Redis: ``SET NX PX`` with a random token; renew and release compare the token first
(in Lua, atomically), so an expired holder can never extend or delete the lock someone else now holds."""

from __future__ import annotations

import asyncio
import uuid

from redis.asyncio import Redis

from adapters.redis.keys import DEFAULT_PREFIX, chat_key
from adapters.redis.retry import RedisRetryPolicy, call_with_retry
from application.ports.chat_lock import LockLease

# Acquiring again with our own token succeeds, so a retry after a lost reply does not lock us out.
_ACQUIRE = """
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
return 0
"""
_RENEW = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
"""
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""

POLL_MIN_SECONDS = 0.01
POLL_MAX_SECONDS = 0.2


def _ms(seconds: float) -> int:
    return max(1, int(seconds * 1000))


class RedisChatLock:
    def __init__(
        self, client: Redis, *, prefix: str = DEFAULT_PREFIX, retry: RedisRetryPolicy | None = None
    ) -> None:
        self._prefix = prefix
        self._retry = retry or RedisRetryPolicy()
        self._acquire = client.register_script(_ACQUIRE)
        self._renew = client.register_script(_RENEW)
        self._release = client.register_script(_RELEASE)

    def _key(self, chat_id: uuid.UUID) -> str:
        return chat_key(self._prefix, chat_id, "lock")

    async def try_acquire(self, chat_id: uuid.UUID, ttl_seconds: float) -> LockLease | None:
        lease = LockLease(chat_id=chat_id, token=uuid.uuid4().hex)
        keys, args = [self._key(chat_id)], [lease.token, str(_ms(ttl_seconds))]
        won = await call_with_retry(
            lambda _: self._acquire(keys=keys, args=args), policy=self._retry, what="chat lock acquire"
        )
        return lease if won else None

    async def acquire(self, chat_id: uuid.UUID, ttl_seconds: float, wait_seconds: float) -> LockLease | None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + wait_seconds
        pause = POLL_MIN_SECONDS
        while True:
            lease = await self.try_acquire(chat_id, ttl_seconds)
            remaining = deadline - loop.time()
            if lease is not None or remaining <= 0:
                return lease
            await asyncio.sleep(min(pause, remaining))
            pause = min(pause * 2, POLL_MAX_SECONDS)

    async def renew(self, lease: LockLease, ttl_seconds: float) -> bool:
        keys, args = [self._key(lease.chat_id)], [lease.token, str(_ms(ttl_seconds))]
        renewed = await call_with_retry(
            lambda _: self._renew(keys=keys, args=args), policy=self._retry, what="chat lock renew"
        )
        return bool(renewed)

    async def release(self, lease: LockLease) -> bool:
        keys, args = [self._key(lease.chat_id)], [lease.token]
        released = await call_with_retry(
            lambda _: self._release(keys=keys, args=args), policy=self._retry, what="chat lock release"
        )
        return bool(released)
