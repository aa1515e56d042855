"""The stop-signal contract, against the in-memory twin and Redis (a stop requested through one client, watched
through another, as two processes would). Redis reads the signal at most every check interval; its clock here
is moved by hand, so "within the interval" and "after it" are exact, with no sleeping."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

import pytest

from adapters.inprocess.stop_signals import MemoryStopSignals
from adapters.redis.client import connect_redis
from adapters.redis.stop_signals import CHECK_SECONDS, RedisStopSignals
from application.ports.stop_signals import StopSignals
from tests.support.clock import ManualTimer
from tests.support.redis_monitor import round_trips
from tests.support.redis_server import RedisServer


@dataclass
class StopCase:
    requester: StopSignals
    watcher: StopSignals
    check_interval_passes: Callable[[], None]
    """Moves the watcher's clock past its check interval (nothing to do for the twin, which never waits)."""


@pytest.fixture(params=["memory", "redis"])
async def case(request: pytest.FixtureRequest) -> AsyncIterator[StopCase]:
    if request.param == "memory":
        signals = MemoryStopSignals()
        yield StopCase(signals, signals, lambda: None)
        return
    server: RedisServer = request.getfixturevalue("clean_redis")
    clients, timer = [connect_redis(server.url) for _ in range(2)], ManualTimer()
    yield StopCase(
        RedisStopSignals(clients[0]),
        RedisStopSignals(clients[1], monotonic=timer.monotonic),
        lambda: timer.advance(CHECK_SECONDS),
    )
    for client in clients:
        await client.aclose()


async def test_a_stop_after_the_watch_began_is_seen_and_stays_seen(case: StopCase) -> None:
    chat = uuid.uuid4()
    watch = await case.watcher.watch(chat)
    case.check_interval_passes()
    assert not await watch.stopped()
    await case.requester.request_stop(chat)
    case.check_interval_passes()
    assert await watch.stopped()
    assert await watch.stopped()


async def test_a_stop_before_the_watch_began_does_not_count(case: StopCase) -> None:
    chat = uuid.uuid4()
    await case.requester.request_stop(chat)
    watch = await case.watcher.watch(chat)  # the next turn
    case.check_interval_passes()
    assert not await watch.stopped()


async def test_a_stop_in_another_chat_is_not_seen(case: StopCase) -> None:
    chat, other = uuid.uuid4(), uuid.uuid4()
    watch, other_watch = await case.watcher.watch(chat), await case.watcher.watch(other)
    await case.requester.request_stop(other)
    case.check_interval_passes()
    assert not await watch.stopped()
    assert await other_watch.stopped()


async def test_redis_reads_the_signal_at_most_once_per_check_interval(clean_redis: RedisServer) -> None:
    client, timer, chat = connect_redis(clean_redis.url), ManualTimer(), uuid.uuid4()
    signals = RedisStopSignals(client, monotonic=timer.monotonic)
    await client.ping()
    async with round_trips(clean_redis.url) as seen:
        watch = await signals.watch(chat)  # reads where the counter starts
        for _ in range(500):  # a 500-token answer within one interval
            assert not await watch.stopped()
        await signals.request_stop(chat)
        assert not await watch.stopped()  # not read yet: seen after the interval
        timer.advance(CHECK_SECONDS)
        assert await watch.stopped()
        for _ in range(100):
            assert await watch.stopped()
    assert seen.count("GET") == 2
    await client.aclose()
