"""The frame bus over Redis pub/sub: publish anywhere, receive in whichever process holds the socket."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import msgspec
from redis.asyncio import Redis

from adapters.inprocess.frame_bus import DEFAULT_BACKLOG, LocalSubscriber
from adapters.redis.frame_relay import FrameRelay
from adapters.redis.keys import DEFAULT_PREFIX, frames_channel
from adapters.redis.retry import RedisRetryPolicy, call_with_retry
from application.frames import ServerFrame


class RedisFrameBus:
    """Close it with ``aclose()`` (APP scope finalizer) to stop the relay's reader task."""

    def __init__(
        self,
        client: Redis,
        *,
        prefix: str = DEFAULT_PREFIX,
        backlog: int = DEFAULT_BACKLOG,
        retry: RedisRetryPolicy | None = None,
    ) -> None:
        self._client = client
        self._prefix = prefix
        self._backlog = backlog
        self._retry = retry or RedisRetryPolicy()
        self._encoder = msgspec.json.Encoder()
        self._relay: FrameRelay | None = None

    async def publish(self, chat_id: uuid.UUID, frame: ServerFrame) -> None:
        channel = frames_channel(self._prefix, chat_id)
        payload = self._encoder.encode(frame)
        await call_with_retry(
            lambda _: self._client.publish(channel, payload), policy=self._retry, what="frame publish"
        )

    def _live_relay(self) -> FrameRelay:
        if self._relay is None or self._relay.dead:
            self._relay = FrameRelay(self._client, prefix=self._prefix, backlog=self._backlog)
        return self._relay

    async def _add(self, chat_id: uuid.UUID) -> tuple[FrameRelay, LocalSubscriber]:
        relay = self._live_relay()
        return relay, await relay.add(chat_id)

    @asynccontextmanager
    async def subscribe(self, chat_id: uuid.UUID) -> AsyncIterator[AsyncIterator[ServerFrame]]:
        relay, subscriber = await call_with_retry(
            lambda _: self._add(chat_id), policy=self._retry, what="frame subscribe"
        )
        try:
            yield subscriber
        finally:
            await relay.remove(chat_id, subscriber)

    async def aclose(self) -> None:
        relay, self._relay = self._relay, None
        if relay is not None:
            await relay.close()
