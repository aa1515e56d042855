"""The delivery log contract, run against the in-memory twin and Redis."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

import pytest
from redis.asyncio import Redis
from redis.exceptions import ConnectionError as RedisConnectionError

from adapters.inprocess.delivery_log import MemoryDeliveryLog
from adapters.redis.client import connect_redis
from adapters.redis.delivery_log import RedisDeliveryLog
from adapters.redis.retry import RedisRetryPolicy
from application.errors import StorageUnavailable
from application.frames import AcceptedFrame, AnswerDoneFrame, CitationFrame, ServerFrame, TokenFrame
from application.ports.chat_model import Usage
from application.ports.delivery_log import DeliveryLog, ReplayStatus, SeqAhead
from domain.messages import Citation
from tests.support.redis_server import RedisServer

FAST_RETRY = RedisRetryPolicy(attempts=2, base_delay=0.01, max_delay=0.02)
MESSAGE_ID = uuid.uuid4()


@dataclass
class LogCase:
    make: Callable[..., DeliveryLog]
    lose_everything: Callable[[], None]


@pytest.fixture(params=["memory", "redis"])
async def case(request: pytest.FixtureRequest) -> AsyncIterator[LogCase]:
    if request.param == "memory":
        logs: list[MemoryDeliveryLog] = []

        def make_memory(**options: Any) -> DeliveryLog:
            logs.append(MemoryDeliveryLog(**options))
            return logs[-1]

        def lose_memory() -> None:
            for log in logs:
                log.lose_everything()

        yield LogCase(make_memory, lose_memory)
        return
    server: RedisServer = request.getfixturevalue("clean_redis")
    client = connect_redis(server.url)
    yield LogCase(lambda **options: RedisDeliveryLog(client, **options), server.flushall)
    await client.aclose()


def token(text: str) -> TokenFrame:
    return TokenFrame(message_id=MESSAGE_ID, text=text)


async def test_concurrent_appends_get_every_seq_exactly_once(case: LogCase) -> None:
    log, chat = case.make(), uuid.uuid4()
    appended = await asyncio.gather(*(log.append(chat, token(str(i))) for i in range(200)))
    assert sorted(frame.seq for frame in appended) == list(range(1, 201))
    replay = await log.after(chat, 0)
    assert replay.status is ReplayStatus.COMPLETE
    assert [frame.seq for frame in replay.frames] == list(range(1, 201))
    assert {frame.seq: frame for frame in appended} == {frame.seq: frame for frame in replay.frames}
    assert (await log.snapshot(chat)).last_seq == 200


async def test_resume_replays_every_frame_type_in_order(case: LogCase) -> None:
    log, chat = case.make(), uuid.uuid4()
    citation = Citation(n=1, chunk_id=uuid.uuid4(), document_id=uuid.uuid4(), filename="a.md", text="passage")
    frames: list[ServerFrame] = [
        AcceptedFrame(client_msg_id="c-1", message_id=uuid.uuid4()),
        token("Hello"),
        token(" world [1]"),
        CitationFrame(message_id=MESSAGE_ID, citation=citation),
        AnswerDoneFrame(
            message_id=MESSAGE_ID, reply_to=uuid.uuid4(), usage=Usage(prompt_tokens=3, completion_tokens=2)
        ),
    ]
    stamped = [await log.append(chat, frame) for frame in frames]
    assert [frame.seq for frame in stamped] == [1, 2, 3, 4, 5]
    replay = await log.after(chat, 2)
    assert replay.status is ReplayStatus.COMPLETE
    assert replay.frames == stamped[2:]
    assert replay.snapshot.last_seq == 5


async def test_resume_at_the_last_seq_is_complete_and_empty(case: LogCase) -> None:
    log, chat = case.make(), uuid.uuid4()
    await log.append(chat, token("a"))
    replay = await log.after(chat, 1)
    assert (replay.status, replay.frames) == (ReplayStatus.COMPLETE, [])


async def test_resume_from_the_future_is_reported(case: LogCase) -> None:
    log, chat = case.make(), uuid.uuid4()
    await log.append(chat, token("a"))
    replay = await log.after(chat, 7)
    assert (replay.status, replay.frames, replay.snapshot.last_seq) == (ReplayStatus.AHEAD, [], 1)


async def test_ack_trims_and_a_resume_before_it_reports_the_gap(case: LogCase) -> None:
    log, chat = case.make(), uuid.uuid4()
    for i in range(5):
        await log.append(chat, token(str(i)))
    snapshot = await log.ack(chat, 3)
    assert (snapshot.last_seq, snapshot.acked_seq) == (5, 3)
    replay = await log.after(chat, 3)
    assert replay.status is ReplayStatus.COMPLETE
    assert [frame.seq for frame in replay.frames] == [4, 5]
    gap = await log.after(chat, 1)
    assert gap.status is ReplayStatus.GAP
    assert [frame.seq for frame in gap.frames] == [4, 5]
    assert (await log.ack(chat, 2)).acked_seq == 3, "an older ack must not move the cursor back"
    assert (await log.ack(chat, 5)).acked_seq == 5
    assert (await log.after(chat, 5)).status is ReplayStatus.COMPLETE


async def test_ack_beyond_the_last_seq_is_rejected(case: LogCase) -> None:
    log, chat = case.make(), uuid.uuid4()
    await log.append(chat, token("a"))
    with pytest.raises(SeqAhead):
        await log.ack(chat, 2)
    assert (await log.snapshot(chat)).acked_seq == 0


async def test_the_length_bound_drops_the_oldest_frames(case: LogCase) -> None:
    log, chat = case.make(max_frames=3), uuid.uuid4()
    for i in range(5):
        await log.append(chat, token(str(i)))
    replay = await log.after(chat, 0)
    assert replay.status is ReplayStatus.GAP
    assert [frame.seq for frame in replay.frames] == [3, 4, 5]
    assert (await log.after(chat, 2)).status is ReplayStatus.COMPLETE


async def test_a_lost_log_gets_a_new_epoch(case: LogCase) -> None:
    log, chat = case.make(), uuid.uuid4()
    first = await log.snapshot(chat)
    await log.append(chat, token("a"))
    await log.append(chat, token("b"))
    assert (await log.snapshot(chat)).epoch == first.epoch
    assert (await log.after(chat, 1, epoch=first.epoch)).status is ReplayStatus.COMPLETE

    case.lose_everything()

    replay = await log.after(chat, 2, epoch=first.epoch)
    assert replay.status is ReplayStatus.EPOCH_CHANGED
    assert replay.snapshot.epoch != first.epoch
    assert replay.snapshot.last_seq == 0
    assert (await log.append(chat, token("c"))).seq == 1
    assert (await log.snapshot(chat)).epoch == replay.snapshot.epoch


async def test_chats_have_separate_logs_and_discard_forgets_one(case: LogCase) -> None:
    log, chat, other = case.make(), uuid.uuid4(), uuid.uuid4()
    await log.append(chat, token("a"))
    await log.append(other, token("b"))
    assert (await log.append(other, token("c"))).seq == 2
    before = await log.snapshot(chat)
    await log.discard(chat)
    after = await log.snapshot(chat)
    assert (after.last_seq, after.epoch != before.epoch) == (0, True)
    assert (await log.snapshot(other)).last_seq == 2


# --- Redis only -----------------------------------------------------------------------------------------
async def test_redis_keys_expire_and_writes_refresh_the_ttl(redis_client: Redis) -> None:
    log, chat = RedisDeliveryLog(redis_client, ttl_seconds=600), uuid.uuid4()
    await log.append(chat, token("a"))
    keys = await redis_client.keys("*")
    assert len(keys) == 2
    for key in keys:
        await redis_client.pexpire(key, 1_000)  # as if the log had been idle for a long time
    await log.append(chat, token("b"))
    ttls = [await redis_client.pttl(key) for key in keys]
    assert all(1_000 < ttl <= 600_000 for ttl in ttls)


async def test_redis_down_is_storage_unavailable_and_a_restart_is_a_new_epoch(
    clean_redis: RedisServer, redis_client: Redis
) -> None:
    log, chat = RedisDeliveryLog(redis_client, retry=FAST_RETRY), uuid.uuid4()
    await log.append(chat, token("a"))
    epoch = (await log.snapshot(chat)).epoch
    clean_redis.stop()
    with pytest.raises(StorageUnavailable):
        await log.append(chat, token("b"))
    clean_redis.start()
    replay = await log.after(chat, 1, epoch=epoch)
    assert replay.status is ReplayStatus.EPOCH_CHANGED
    assert (await log.append(chat, token("c"))).seq == 1


class ReplyLosingRedis(Redis):
    """Runs the next script, then fails as if the reply had been lost on the way back."""

    lose_next_reply = False

    async def evalsha(self, *args: Any) -> Any:
        result = await super().evalsha(*args)  # type: ignore[misc]
        if self.lose_next_reply:
            self.lose_next_reply = False
            raise RedisConnectionError("reply lost")
        return result


async def test_redis_append_retried_after_a_lost_reply_is_not_duplicated(clean_redis: RedisServer) -> None:
    client = ReplyLosingRedis.from_url(clean_redis.url)
    log, chat = RedisDeliveryLog(client, retry=FAST_RETRY), uuid.uuid4()
    await log.append(chat, token("a"))
    client.lose_next_reply = True
    assert (await log.append(chat, token("b"))).seq == 2
    assert (await log.append(chat, token("c"))).seq == 3
    replay = await log.after(chat, 0)
    assert [(frame.seq, getattr(frame, "text", None)) for frame in replay.frames] == [
        (1, "a"),
        (2, "b"),
        (3, "c"),
    ]
    await client.aclose()
