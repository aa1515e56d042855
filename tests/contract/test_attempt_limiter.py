"""The attempt limiter contract (fixed windows per key), run against the in-memory twin and a real Redis."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from adapters.inprocess.attempt_limiter import MemoryAttemptLimiter
from adapters.redis.attempt_limiter import RedisAttemptLimiter
from adapters.redis.client import connect_redis
from application.ports.attempt_limiter import AttemptLimiter
from tests.support.redis_server import RedisServer

LONG = 60.0


@pytest.fixture(params=["memory", "redis"])
async def limiter(request: pytest.FixtureRequest) -> AsyncIterator[AttemptLimiter]:
    if request.param == "memory":
        yield MemoryAttemptLimiter()
        return
    server: RedisServer = request.getfixturevalue("clean_redis")
    client = connect_redis(server.url)
    yield RedisAttemptLimiter(client, prefix="contract")
    await client.aclose()


async def test_attempts_within_the_limit_pass_and_the_next_is_refused_until_the_window_ends(
    limiter: AttemptLimiter,
) -> None:
    assert [await limiter.hit("a", 3, LONG) for _ in range(3)] == [0.0, 0.0, 0.0]
    refused = await limiter.hit("a", 3, LONG)
    assert 0 < refused <= LONG
    assert await limiter.hit("b", 3, LONG) == 0.0, "keys are counted apart"


async def test_clear_forgets_a_key(limiter: AttemptLimiter) -> None:
    for _ in range(3):
        await limiter.hit("k", 2, LONG)
    await limiter.clear("k")
    assert await limiter.hit("k", 2, LONG) == 0.0
    assert await limiter.hit("k", 2, LONG) == 0.0
    assert await limiter.hit("k", 2, LONG) > 0


async def test_a_new_window_starts_after_the_old_one_ends(limiter: AttemptLimiter) -> None:
    window = 0.3
    await limiter.hit("k", 1, window)
    assert await limiter.hit("k", 1, window) > 0
    deadline = asyncio.get_running_loop().time() + 30
    while (wait := await limiter.hit("k", 1, window)) > 0:
        assert wait <= window, "refused attempts must not push the window's end back"
        assert asyncio.get_running_loop().time() < deadline, "the window never ended"
        await asyncio.sleep(0.05)
    assert await limiter.hit("k", 1, window) > 0, "the new window counts from its first attempt"


async def test_concurrent_hits_are_all_counted(limiter: AttemptLimiter) -> None:
    results = await asyncio.gather(*(limiter.hit("k", 10, LONG) for _ in range(25)))
    assert sum(1 for wait in results if wait == 0.0) == 10
