"""The frame bus contract (fan-out, isolation, clean unsubscribe), run against the in-memory twin and Redis.

``publisher`` and ``receiver`` are two bus handles: for Redis they use separate clients, standing in for the
server process producing frames and the one holding the socket; in memory both are the same object.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
from redis.asyncio import Redis

from adapters.inprocess.frame_bus import MemoryFrameBus
from adapters.redis.client import connect_redis
from adapters.redis.frame_bus import RedisFrameBus
from adapters.redis.retry import RedisRetryPolicy
from application.errors import StorageUnavailable
from application.frames import (
    AcceptedFrame,
    AnswerDoneFrame,
    ErrorFrame,
    PongFrame,
    ServerFrame,
    SnapshotFrame,
    StageChangedFrame,
    TokenFrame,
)
from application.ports.chat_model import Usage
from application.ports.frame_bus import FrameBus, SubscriptionLost
from domain.stages import Stage
from tests.support.redis_server import RedisServer

WAIT = 5.0
MESSAGE_ID = uuid.uuid4()


@pytest.fixture(params=["memory", "redis"])
async def buses(request: pytest.FixtureRequest) -> AsyncIterator[tuple[FrameBus, FrameBus]]:
    if request.param == "memory":
        bus = MemoryFrameBus(backlog=3)
        yield bus, bus
        return
    server: RedisServer = request.getfixturevalue("clean_redis")
    clients = [connect_redis(server.url) for _ in range(2)]
    redis_buses = [RedisFrameBus(client, backlog=3) for client in clients]
    yield redis_buses[0], redis_buses[1]
    for redis_bus, client in zip(redis_buses, clients, strict=True):
        await redis_bus.aclose()
        await client.aclose()


async def next_frame(frames: AsyncIterator[ServerFrame]) -> ServerFrame:
    return await asyncio.wait_for(anext(frames), WAIT)


def token(seq: int) -> TokenFrame:
    return TokenFrame(seq=seq, message_id=MESSAGE_ID, text=f"t{seq}")


async def test_every_subscriber_gets_every_frame_in_order(buses: tuple[FrameBus, FrameBus]) -> None:
    publisher, receiver = buses
    chat = uuid.uuid4()
    sent: list[ServerFrame] = [
        AcceptedFrame(seq=1, client_msg_id="c", message_id=uuid.uuid4()),
        token(2),
        AnswerDoneFrame(
            seq=3,
            message_id=MESSAGE_ID,
            reply_to=uuid.uuid4(),
            usage=Usage(prompt_tokens=1, completion_tokens=1),
        ),
    ]
    async with receiver.subscribe(chat) as first, receiver.subscribe(chat) as second:
        for frame in sent:
            await publisher.publish(chat, frame)
        assert [await next_frame(first) for _ in sent] == sent
        assert [await next_frame(second) for _ in sent] == sent


async def test_subscribers_only_get_their_chat(buses: tuple[FrameBus, FrameBus]) -> None:
    publisher, receiver = buses
    chat, other_chat = uuid.uuid4(), uuid.uuid4()
    async with receiver.subscribe(chat) as frames:
        await publisher.publish(other_chat, token(1))
        await publisher.publish(chat, PongFrame(seq=7))
        assert await next_frame(frames) == PongFrame(seq=7)


async def test_every_frame_type_survives_the_trip(buses: tuple[FrameBus, FrameBus]) -> None:
    publisher, receiver = buses
    chat = uuid.uuid4()
    sent: list[ServerFrame] = [
        ErrorFrame(seq=1, code="rate_limited", message="slow down", retryable=True, client_msg_id="c"),
        StageChangedFrame(seq=2, stage=Stage.TEST),
        SnapshotFrame(seq=3, epoch="e", last_seq=2, acked_seq=1, reload_history=True),
    ]
    async with receiver.subscribe(chat) as frames:
        for frame in sent:
            await publisher.publish(chat, frame)
        assert [await next_frame(frames) for _ in sent] == sent


async def test_a_subscriber_that_falls_behind_is_told(buses: tuple[FrameBus, FrameBus]) -> None:
    publisher, receiver = buses
    chat = uuid.uuid4()
    async with receiver.subscribe(chat) as frames, receiver.subscribe(chat) as probe:
        for seq in range(1, 6):  # the backlog is 3
            await publisher.publish(chat, token(seq))
            await next_frame(probe)  # the probe keeps up, so every frame has arrived locally
        with pytest.raises(SubscriptionLost):
            await next_frame(frames)


async def test_leaving_the_block_unsubscribes_and_resubscribing_works(
    buses: tuple[FrameBus, FrameBus],
) -> None:
    publisher, receiver = buses
    chat = uuid.uuid4()
    async with receiver.subscribe(chat) as frames:
        await publisher.publish(chat, token(1))
        assert await next_frame(frames) == token(1)
    await publisher.publish(chat, token(2))  # nobody listens: not an error
    async with receiver.subscribe(chat) as frames:
        await publisher.publish(chat, token(3))
        assert await next_frame(frames) == token(3)


# --- Redis only -----------------------------------------------------------------------------------------
async def subscriber_count(client: Redis, chat: uuid.UUID) -> Any:
    [(_, count)] = await client.pubsub_numsub(f"ragchat:{{{chat}}}:frames")
    return count


async def test_redis_uses_one_channel_subscription_per_chat_and_drops_it(redis_client: Redis) -> None:
    bus, chat = RedisFrameBus(redis_client), uuid.uuid4()
    async with bus.subscribe(chat), bus.subscribe(chat):
        assert await subscriber_count(redis_client, chat) == 1
    # Redis handles the UNSUBSCRIBE after the block has left: poll until it has, with a generous deadline.
    for _ in range(3_000):
        if await subscriber_count(redis_client, chat) == 0:
            break
        await asyncio.sleep(0.01)
    assert await subscriber_count(redis_client, chat) == 0
    await bus.aclose()


async def test_redis_restart_ends_subscriptions_with_subscription_lost(
    clean_redis: RedisServer, redis_client: Redis
) -> None:
    bus, chat = RedisFrameBus(redis_client), uuid.uuid4()
    async with bus.subscribe(chat) as frames:
        clean_redis.restart()
        with pytest.raises(SubscriptionLost):
            await next_frame(frames)
    async with bus.subscribe(chat) as frames:
        await bus.publish(chat, token(1))
        assert await next_frame(frames) == token(1)
    await bus.aclose()


async def test_redis_down_is_storage_unavailable(clean_redis: RedisServer, redis_client: Redis) -> None:
    bus, chat = RedisFrameBus(redis_client, retry=RedisRetryPolicy(attempts=2, base_delay=0.01)), uuid.uuid4()
    clean_redis.stop()
    with pytest.raises(StorageUnavailable):
        await bus.publish(chat, token(1))
    with pytest.raises(StorageUnavailable):
        async with bus.subscribe(chat):
            pass
    clean_redis.start()
    async with bus.subscribe(chat) as frames:
        await bus.publish(chat, token(2))
        assert await next_frame(frames) == token(2)
    await bus.aclose()
