"""Emitting a frame (log append + announcement) as the chat runtime wires it: the in-memory log and bus, and Redis,
where the append script publishes the frame itself. The same assertions run against both; in Redis the emitting
and the subscribing side use separate clients, as two processes would."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest

from adapters.inprocess.delivery_log import MemoryDeliveryLog
from adapters.inprocess.frame_bus import MemoryFrameBus
from adapters.redis.client import connect_redis
from adapters.redis.delivery_log import RedisDeliveryLog
from adapters.redis.frame_bus import RedisFrameBus
from application.chat.frame_emitter import FrameEmitter
from application.frames import AnswerDoneFrame, AnswerStartedFrame, ServerFrame, TokenFrame
from application.ports.chat_model import Usage
from application.ports.delivery_log import DeliveryLog
from application.ports.frame_bus import FrameBus
from tests.contract.test_delivery_log import FAST_RETRY, ReplyLosingRedis
from tests.support.redis_monitor import round_trips
from tests.support.redis_server import RedisServer

WAIT = 10.0
MESSAGE_ID = uuid.uuid4()


@dataclass
class Delivery:
    emitter: FrameEmitter
    log: DeliveryLog
    bus: FrameBus
    """The subscribing side (another process's bus in Redis)."""


@pytest.fixture(params=["memory", "redis"])
async def delivery(request: pytest.FixtureRequest) -> AsyncIterator[Delivery]:
    if request.param == "memory":
        log, bus = MemoryDeliveryLog(), MemoryFrameBus()
        yield Delivery(FrameEmitter(log, bus), log, bus)
        return
    server: RedisServer = request.getfixturevalue("clean_redis")
    producer, consumer = connect_redis(server.url), connect_redis(server.url)
    redis_log = RedisDeliveryLog(producer, publish=True)
    producer_bus, consumer_bus = RedisFrameBus(producer), RedisFrameBus(consumer)
    yield Delivery(FrameEmitter(redis_log, producer_bus), redis_log, consumer_bus)
    for redis_bus, client in ((producer_bus, producer), (consumer_bus, consumer)):
        await redis_bus.aclose()
        await client.aclose()


def token(text: str) -> TokenFrame:
    return TokenFrame(message_id=MESSAGE_ID, text=text)


async def receive(frames: AsyncIterator[ServerFrame], count: int) -> list[ServerFrame]:
    return [await asyncio.wait_for(anext(frames), WAIT) for _ in range(count)]


async def test_each_frame_is_announced_once_with_the_seq_the_log_gave_it(delivery: Delivery) -> None:
    chat, other = uuid.uuid4(), uuid.uuid4()
    sent: list[ServerFrame] = [
        AnswerStartedFrame(message_id=MESSAGE_ID, reply_to=uuid.uuid4()),
        token('say "seq":0, then {"seq":1}'),  # the seq written into the announcement is the frame's own
        token(" ✓ done"),
        AnswerDoneFrame(
            message_id=MESSAGE_ID, reply_to=uuid.uuid4(), usage=Usage(prompt_tokens=1, completion_tokens=2)
        ),
    ]
    async with delivery.bus.subscribe(chat) as frames:
        await delivery.emitter.emit(other, token("elsewhere"))
        emitted = [await delivery.emitter.emit(chat, frame) for frame in sent]
        received = await receive(frames, len(sent))
        await delivery.emitter.emit(chat, token("last"))
        [last] = await receive(frames, 1)  # nothing came twice or from the other chat in between
    assert received == emitted and [f.seq for f in received] == [1, 2, 3, 4]
    assert isinstance(last, TokenFrame) and last.text == "last" and last.seq == 5
    assert (await delivery.log.after(chat, 0)).frames == [*emitted, last]


async def test_concurrent_emits_are_announced_in_seq_order(delivery: Delivery) -> None:
    chat = uuid.uuid4()
    async with delivery.bus.subscribe(chat) as frames:
        emitted = await asyncio.gather(*(delivery.emitter.emit(chat, token(str(i))) for i in range(100)))
        received = await receive(frames, 100)
    assert [frame.seq for frame in received] == list(range(1, 101))
    assert sorted(received, key=lambda f: f.seq) == sorted(emitted, key=lambda f: f.seq)


async def test_redis_emits_a_frame_in_one_round_trip(clean_redis: RedisServer) -> None:
    client = connect_redis(clean_redis.url)
    log, bus = RedisDeliveryLog(client, publish=True), RedisFrameBus(client)
    emitter, chat = FrameEmitter(log, bus), uuid.uuid4()
    await emitter.emit(chat, token("warm up"))  # the script is loaded
    async with round_trips(clean_redis.url) as seen:
        for i in range(20):
            await emitter.emit(chat, token(str(i)))
    assert seen.commands == ["EVALSHA"] * 20
    assert seen.scripted.count("PUBLISH") == 20
    await bus.aclose()
    await client.aclose()


async def test_redis_append_retried_after_a_lost_reply_is_announced_once(clean_redis: RedisServer) -> None:
    producer, consumer = ReplyLosingRedis.from_url(clean_redis.url), connect_redis(clean_redis.url)
    log, bus, chat = RedisDeliveryLog(producer, retry=FAST_RETRY, publish=True), RedisFrameBus(consumer), uuid.uuid4()
    async with bus.subscribe(chat) as frames:
        await log.append(chat, token("a"))
        producer.lose_next_reply = True
        assert (await log.append(chat, token("b"))).seq == 2  # appended and announced, then retried
        await log.append(chat, token("c"))
        received = await receive(frames, 3)
    assert [(f.seq, getattr(f, "text", None)) for f in received] == [(1, "a"), (2, "b"), (3, "c")]
    await bus.aclose()
    await producer.aclose()
    await consumer.aclose()
