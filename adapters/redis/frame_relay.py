"""One Redis pub/sub connection per process, relaying every subscribed chat's channel into a local fan-out.

A WebSocket session subscribes through the relay instead of opening its own connection, so a replica with a
thousand sockets holds one pub/sub connection, not a thousand. When that connection breaks, every local
subscriber gets ``SubscriptionLost`` (frames may have been missed while it was down) and the relay is dead;
the bus starts a new one for the next subscription.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from typing import Any

import msgspec
from redis.asyncio import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError
from redis.exceptions import TimeoutError as RedisTimeoutError

from adapters.inprocess.frame_bus import LocalFanout, LocalSubscriber
from adapters.redis.keys import chat_id_from_key, frames_channel, text
from application.frames import AnyServerFrame

log = logging.getLogger(__name__)

CONFIRM_SECONDS = 5.0
POLL_SECONDS = 1.0
"""How long one read waits, so the client's health-check PING goes out regularly on a quiet connection."""


class FrameRelay:
    def __init__(self, client: Redis, *, prefix: str, backlog: int) -> None:
        self._pubsub = client.pubsub()
        self._prefix = prefix
        self._fanout = LocalFanout(backlog)
        self._decoder: msgspec.json.Decoder[AnyServerFrame] = msgspec.json.Decoder(AnyServerFrame)
        self._confirmations: dict[str, asyncio.Future[None]] = {}
        self._lock = asyncio.Lock()
        self._reader: asyncio.Task[None] | None = None
        self.dead = False

    def channel(self, chat_id: uuid.UUID) -> str:
        return frames_channel(self._prefix, chat_id)

    async def add(self, chat_id: uuid.UUID) -> LocalSubscriber:
        """Returns once Redis has confirmed the channel's subscription. Redis errors kill the relay and
        propagate (the bus retries with a fresh relay)."""
        async with self._lock:
            if self.dead:
                raise RedisConnectionError("the frame relay is closed")
            first = not self._fanout.has_subscribers(chat_id)
            subscriber = self._fanout.add(chat_id)
            if not first:
                return subscriber
            channel = self.channel(chat_id)
            confirmed = asyncio.get_running_loop().create_future()
            self._confirmations[channel] = confirmed
            try:
                await self._pubsub.subscribe(channel)
                if self._reader is None:
                    self._reader = asyncio.create_task(self._read(), name="frame-relay-reader")
                try:
                    await asyncio.wait_for(asyncio.shield(confirmed), CONFIRM_SECONDS)
                except TimeoutError:
                    raise RedisTimeoutError("redis did not confirm the subscription") from None
            except BaseException as exc:
                self._fanout.remove(chat_id, subscriber)
                if isinstance(exc, RedisError | OSError):
                    await self._die(f"subscribing failed: {exc!r}")
                raise
            finally:
                self._confirmations.pop(channel, None)
            return subscriber

    async def remove(self, chat_id: uuid.UUID, subscriber: LocalSubscriber) -> None:
        if not self._fanout.remove(chat_id, subscriber) or self.dead:
            return
        async with self._lock:
            if self._fanout.has_subscribers(chat_id) or self.dead:
                return  # someone subscribed again meanwhile
            try:
                await self._pubsub.unsubscribe(self.channel(chat_id))
            except (RedisError, OSError) as exc:
                await self._die(f"unsubscribing failed: {exc!r}")

    async def _read(self) -> None:
        try:
            while True:
                message = await self._pubsub.get_message(timeout=POLL_SECONDS)
                if message is not None:
                    self._handle(message)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.warning("frame bus connection lost", extra={"error": repr(exc)})
            await self._die(f"the frame bus connection was lost: {exc!r}")

    def _handle(self, message: dict[str, Any]) -> None:
        channel = text(message["channel"])
        if message["type"] == "subscribe":
            confirmed = self._confirmations.get(channel)
            if confirmed is not None and not confirmed.done():
                confirmed.set_result(None)
        elif message["type"] == "message":
            chat_id = chat_id_from_key(channel)
            try:
                frame = self._decoder.decode(message["data"])
            except msgspec.DecodeError:
                log.error("undecodable frame on the bus", extra={"channel": channel})
                return
            if chat_id is not None:
                self._fanout.deliver(chat_id, frame)

    async def _die(self, reason: str) -> None:
        if self.dead:
            return
        self.dead = True
        self._fanout.lose_all(reason)
        for confirmed in self._confirmations.values():
            if not confirmed.done():
                confirmed.set_exception(RedisConnectionError(reason))
        reader, self._reader = self._reader, None
        if reader is not None and reader is not asyncio.current_task():
            reader.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await reader
        with contextlib.suppress(RedisError, OSError):
            await self._pubsub.aclose()  # type: ignore[no-untyped-call]

    async def close(self) -> None:
        await self._die("the frame bus is closing")
