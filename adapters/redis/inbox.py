"""The inbox as two Redis lists per chat: ``queue`` (LPUSH in, oldest at the right) and ``processing``.

``take`` is an atomic (B)LMOVE from queue to processing, so a message is always in exactly one list: a process
that dies mid-turn leaves it in ``processing``, where ``recover`` finds it. No TTL: accepted messages are
never dropped by Redis (run it with AOF in production so a restart keeps them too).
"""

from __future__ import annotations

import asyncio
import functools
import uuid
from typing import Any

import msgspec
from redis.asyncio import Redis

from adapters.redis.client import SOCKET_TIMEOUT_SECONDS
from adapters.redis.keys import DEFAULT_PREFIX, chat_id_from_key, chat_key, chat_key_pattern
from adapters.redis.retry import RedisRetryPolicy, call_with_retry
from application.ports.inbox import InboxItem

BLOCK_SLICE_SECONDS = min(2.0, SOCKET_TIMEOUT_SECONDS / 2)

# Move every in-flight item back to the head (right end) of the queue: taking the newest first and pushing
# each to the head leaves the oldest at the head, so the original order is kept.
_RECOVER = """
local moved = 0
while redis.call('LMOVE', KEYS[1], KEYS[2], 'LEFT', 'RIGHT') do moved = moved + 1 end
return moved
"""


class RedisInbox:
    def __init__(
        self, client: Redis, *, prefix: str = DEFAULT_PREFIX, retry: RedisRetryPolicy | None = None
    ) -> None:
        self._client: Any = client  # redis-py's asyncio stubs type replies as ``Awaitable[T] | T``
        self._prefix = prefix
        self._retry = retry or RedisRetryPolicy()
        self._recover = client.register_script(_RECOVER)
        self._encoder = msgspec.json.Encoder()
        self._decoder = msgspec.json.Decoder(InboxItem)

    def _queue(self, chat_id: uuid.UUID) -> str:
        return chat_key(self._prefix, chat_id, "inbox", "queue")

    def _processing(self, chat_id: uuid.UUID) -> str:
        return chat_key(self._prefix, chat_id, "inbox", "processing")

    async def push(self, item: InboxItem) -> None:
        payload = self._encoder.encode(item)
        await call_with_retry(
            lambda _: self._client.lpush(self._queue(item.chat_id), payload),
            policy=self._retry,
            what="inbox push",
        )

    async def take(self, chat_id: uuid.UUID, wait_seconds: float = 0.0) -> InboxItem | None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + wait_seconds
        while True:
            remaining = deadline - loop.time()
            block: float | None = min(remaining, BLOCK_SLICE_SECONDS) if remaining > 0 else None
            raw = await call_with_retry(
                functools.partial(self._move_oldest, chat_id, block),
                policy=self._retry,
                what="inbox take",
            )
            if raw is not None:
                return self._decoder.decode(raw)
            if block is None:
                return None

    async def _move_oldest(
        self, chat_id: uuid.UUID, block: float | None, _attempt: int
    ) -> bytes | str | None:
        queue, processing = self._queue(chat_id), self._processing(chat_id)
        reply: bytes | str | None
        if block is None:
            reply = await self._client.lmove(queue, processing, "RIGHT", "LEFT")
        else:
            reply = await self._client.blmove(queue, processing, max(block, 0.01), "RIGHT", "LEFT")
        return reply

    async def ack(self, item: InboxItem) -> bool:
        payload = self._encoder.encode(item)
        removed = await call_with_retry(
            lambda _: self._client.lrem(self._processing(item.chat_id), 1, payload),
            policy=self._retry,
            what="inbox ack",
        )
        return bool(removed)

    async def recover(self, chat_id: uuid.UUID) -> int:
        keys = [self._processing(chat_id), self._queue(chat_id)]
        moved = await call_with_retry(
            lambda _: self._recover(keys=keys, args=[]), policy=self._retry, what="inbox recover"
        )
        return int(moved)

    async def depth(self, chat_id: uuid.UUID) -> int:
        length = await call_with_retry(
            lambda _: self._client.llen(self._queue(chat_id)), policy=self._retry, what="inbox depth"
        )
        return int(length)

    async def pending_chats(self) -> set[uuid.UUID]:
        """Empty lists do not exist in Redis, so every inbox key found belongs to a chat with work."""

        async def scan(_: int) -> set[uuid.UUID]:
            pattern = chat_key_pattern(self._prefix, "inbox", "*")
            found: set[uuid.UUID] = set()
            async for key in self._client.scan_iter(match=pattern, count=500):
                chat_id = chat_id_from_key(key)
                if chat_id is not None:
                    found.add(chat_id)
            return found

        return await call_with_retry(scan, policy=self._retry, what="inbox pending chats")
