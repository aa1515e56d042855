"""The chat lock contract (one holder per chat, leases expire), run against the in-memory twin and Redis.

Each test gets two lock handles, ``mine`` and ``theirs``: for Redis they use separate clients, standing in for
two server processes; in memory there is only one process, so both are the same object.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis

from adapters.inprocess.chat_lock import MemoryChatLock
from adapters.redis.chat_lock import RedisChatLock
from adapters.redis.client import connect_redis
from adapters.redis.retry import RedisRetryPolicy
from application.errors import StorageUnavailable
from application.ports.chat_lock import ChatLock
from tests.support.redis_server import RedisServer

LONG = 30.0
SHORT = 0.05


@pytest.fixture(params=["memory", "redis"])
async def locks(request: pytest.FixtureRequest) -> AsyncIterator[tuple[ChatLock, ChatLock]]:
    if request.param == "memory":
        lock = MemoryChatLock()
        yield lock, lock
        return
    server: RedisServer = request.getfixturevalue("clean_redis")
    clients = [connect_redis(server.url) for _ in range(2)]
    yield RedisChatLock(clients[0]), RedisChatLock(clients[1])
    for client in clients:
        await client.aclose()


async def test_only_one_holder_per_chat(locks: tuple[ChatLock, ChatLock]) -> None:
    mine, theirs = locks
    chat, other_chat = uuid.uuid4(), uuid.uuid4()
    lease = await mine.try_acquire(chat, LONG)
    assert lease is not None
    assert await theirs.try_acquire(chat, LONG) is None
    assert await theirs.try_acquire(other_chat, LONG) is not None
    assert await mine.release(lease) is True
    assert await theirs.try_acquire(chat, LONG) is not None


async def test_concurrent_attempts_yield_exactly_one_lease(locks: tuple[ChatLock, ChatLock]) -> None:
    mine, theirs = locks
    chat = uuid.uuid4()
    attempts = [(mine if n % 2 else theirs).try_acquire(chat, LONG) for n in range(20)]
    leases = [lease for lease in await asyncio.gather(*attempts) if lease is not None]
    assert len(leases) == 1


async def test_an_expired_lease_is_taken_over_and_cannot_renew_or_release(
    locks: tuple[ChatLock, ChatLock],
) -> None:
    mine, theirs = locks
    chat = uuid.uuid4()
    stale = await mine.try_acquire(chat, SHORT)
    assert stale is not None
    await asyncio.sleep(SHORT * 6)
    fresh = await theirs.try_acquire(chat, LONG)
    assert fresh is not None
    assert await mine.renew(stale, LONG) is False
    assert await mine.release(stale) is False
    assert await mine.try_acquire(chat, LONG) is None, "the stale holder must not have released the new lease"
    assert await theirs.release(fresh) is True


async def test_renew_keeps_the_lease(locks: tuple[ChatLock, ChatLock]) -> None:
    mine, theirs = locks
    chat = uuid.uuid4()
    first_term = 2.0  # long enough that the renewal below lands inside it even on a CPU-starved machine
    lease = await mine.try_acquire(chat, first_term)
    assert lease is not None
    assert await mine.renew(lease, LONG) is True
    await asyncio.sleep(first_term + 0.5)  # the first term is over: only the renewal can still hold the chat
    assert await theirs.try_acquire(chat, LONG) is None
    assert await mine.release(lease) is True


async def test_acquire_waits_for_the_holder_to_release(locks: tuple[ChatLock, ChatLock]) -> None:
    mine, theirs = locks
    chat = uuid.uuid4()
    held = await mine.try_acquire(chat, LONG)
    assert held is not None
    waiting = asyncio.create_task(theirs.acquire(chat, LONG, wait_seconds=10))
    await asyncio.sleep(SHORT)
    assert not waiting.done()
    await mine.release(held)
    assert await waiting is not None


async def test_acquire_gives_up_after_waiting(locks: tuple[ChatLock, ChatLock]) -> None:
    mine, theirs = locks
    chat = uuid.uuid4()
    assert await mine.try_acquire(chat, LONG) is not None
    assert await theirs.acquire(chat, LONG, wait_seconds=SHORT) is None


# --- Redis only -----------------------------------------------------------------------------------------
async def test_redis_down_is_storage_unavailable(clean_redis: RedisServer, redis_client: Redis) -> None:
    lock, chat = RedisChatLock(redis_client, retry=RedisRetryPolicy(attempts=2, base_delay=0.01)), uuid.uuid4()
    clean_redis.stop()
    with pytest.raises(StorageUnavailable):
        await lock.try_acquire(chat, LONG)
    clean_redis.start()
    assert await lock.try_acquire(chat, LONG) is not None
