"""The inbox contract (at-least-once, crash recovery), run against the in-memory twin and Redis."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis

from adapters.inprocess.inbox import MemoryInbox
from adapters.redis.client import connect_redis
from adapters.redis.inbox import RedisInbox
from adapters.redis.retry import RedisRetryPolicy
from application.errors import StorageUnavailable
from application.ports.inbox import Inbox, InboxItem
from tests.support.redis_server import RedisServer


@pytest.fixture(params=["memory", "redis"])
async def inbox(request: pytest.FixtureRequest) -> AsyncIterator[Inbox]:
    if request.param == "memory":
        yield MemoryInbox()
        return
    server: RedisServer = request.getfixturevalue("clean_redis")
    client = connect_redis(server.url)
    yield RedisInbox(client)
    await client.aclose()


def item(chat_id: uuid.UUID, n: int = 0) -> InboxItem:
    return InboxItem(chat_id=chat_id, message_id=uuid.uuid4(), client_msg_id=f"client-{n}")


async def test_items_come_out_in_order(inbox: Inbox) -> None:
    chat = uuid.uuid4()
    pushed = [item(chat, n) for n in range(3)]
    for each in pushed:
        await inbox.push(each)
    assert await inbox.depth(chat) == 3
    assert [await inbox.take(chat) for _ in range(3)] == pushed
    assert await inbox.depth(chat) == 0


async def test_take_from_an_empty_inbox_returns_none(inbox: Inbox) -> None:
    chat = uuid.uuid4()
    assert await inbox.take(chat) is None
    assert await inbox.take(chat, wait_seconds=0.05) is None


async def test_a_waiting_take_gets_an_item_pushed_later(inbox: Inbox) -> None:
    chat = uuid.uuid4()
    waiting = asyncio.create_task(inbox.take(chat, wait_seconds=5))
    await asyncio.sleep(0.05)
    expected = item(chat)
    await inbox.push(expected)
    assert await waiting == expected


async def test_an_item_taken_but_not_acked_is_recovered_once(inbox: Inbox) -> None:
    chat = uuid.uuid4()
    first, second = item(chat, 1), item(chat, 2)
    await inbox.push(first)
    await inbox.push(second)
    assert await inbox.take(chat) == first  # ... and the processor dies mid-turn
    assert await inbox.recover(chat) == 1
    assert await inbox.depth(chat) == 2
    assert await inbox.take(chat) == first
    assert await inbox.take(chat) == second
    assert await inbox.ack(first) is True
    assert await inbox.ack(second) is True
    assert await inbox.recover(chat) == 0
    assert await inbox.take(chat) is None


async def test_recover_keeps_the_original_order(inbox: Inbox) -> None:
    chat = uuid.uuid4()
    items = [item(chat, n) for n in range(4)]
    for each in items:
        await inbox.push(each)
    await inbox.take(chat)
    await inbox.take(chat)
    assert await inbox.recover(chat) == 2
    assert [await inbox.take(chat) for _ in range(4)] == items


async def test_ack_of_an_item_not_in_flight_is_false(inbox: Inbox) -> None:
    chat = uuid.uuid4()
    taken = item(chat)
    await inbox.push(taken)
    assert await inbox.ack(taken) is False, "not taken yet"
    await inbox.take(chat)
    assert await inbox.ack(taken) is True
    assert await inbox.ack(taken) is False, "already acked"


async def test_pending_chats_lists_queued_and_in_flight_work(inbox: Inbox) -> None:
    done, waiting, busy = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    for chat in (done, waiting, busy):
        await inbox.push(item(chat))
    finished = await inbox.take(done)
    assert finished is not None
    await inbox.ack(finished)
    await inbox.take(busy)
    assert await inbox.pending_chats() == {waiting, busy}


# --- Redis only -----------------------------------------------------------------------------------------
async def test_redis_work_of_a_dead_process_is_recovered_by_another(clean_redis: RedisServer) -> None:
    chat = uuid.uuid4()
    clients = [connect_redis(clean_redis.url) for _ in range(2)]
    dying, survivor = (RedisInbox(client) for client in clients)
    message = item(chat)
    await survivor.push(message)
    assert await dying.take(chat) == message
    await clients[0].aclose()  # the process that took it is gone
    assert await survivor.take(chat) is None
    assert await survivor.pending_chats() == {chat}
    assert await survivor.recover(chat) == 1
    assert await survivor.take(chat) == message
    assert await survivor.ack(message) is True
    assert await survivor.pending_chats() == set()
    await clients[1].aclose()


async def test_redis_down_is_storage_unavailable(clean_redis: RedisServer, redis_client: Redis) -> None:
    inbox, chat = RedisInbox(redis_client, retry=RedisRetryPolicy(attempts=2, base_delay=0.01)), uuid.uuid4()
    clean_redis.stop()
    with pytest.raises(StorageUnavailable):
        await inbox.push(item(chat))
    clean_redis.start()
    await inbox.push(item(chat))
    assert await inbox.depth(chat) == 1
