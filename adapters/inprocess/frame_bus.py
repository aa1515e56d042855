"""In-process frame fan-out: the whole frame bus in embedded mode, and the local half of the Redis bus."""

from __future__ import annotations

import asyncio
import uuid
from collections import deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from application.frames import ServerFrame
from application.ports.frame_bus import SubscriptionLost

DEFAULT_BACKLOG = 1_000


class LocalSubscriber:
    """One subscription's buffer. A consumer that falls ``backlog`` frames behind is cut off with
    ``SubscriptionLost`` instead of growing memory without bound; it re-reads the delivery log."""

    def __init__(self, backlog: int) -> None:
        self._backlog = backlog
        self._frames: deque[ServerFrame] = deque()
        self._lost: str | None = None
        self._closed = False
        self._wakeup = asyncio.Event()

    def deliver(self, frame: ServerFrame) -> None:
        if self._lost is not None or self._closed:
            return
        if len(self._frames) >= self._backlog:
            self.lose("the subscriber fell too far behind")
            return
        self._frames.append(frame)
        self._wakeup.set()

    def lose(self, reason: str) -> None:
        self._lost = reason
        self._frames.clear()
        self._wakeup.set()

    def close(self) -> None:
        self._closed = True
        self._wakeup.set()

    def __aiter__(self) -> LocalSubscriber:
        return self

    async def __anext__(self) -> ServerFrame:
        while True:
            if self._lost is not None:
                raise SubscriptionLost(self._lost)
            if self._frames:
                return self._frames.popleft()
            if self._closed:
                raise StopAsyncIteration
            self._wakeup.clear()
            await self._wakeup.wait()


class LocalFanout:
    def __init__(self, backlog: int = DEFAULT_BACKLOG) -> None:
        self._backlog = backlog
        self._subscribers: dict[uuid.UUID, set[LocalSubscriber]] = {}

    def add(self, chat_id: uuid.UUID) -> LocalSubscriber:
        subscriber = LocalSubscriber(self._backlog)
        self._subscribers.setdefault(chat_id, set()).add(subscriber)
        return subscriber

    def remove(self, chat_id: uuid.UUID, subscriber: LocalSubscriber) -> bool:
        """Returns whether that was the chat's last local subscriber."""
        subscriber.close()
        subscribers = self._subscribers.get(chat_id)
        if subscribers is None:
            return False
        subscribers.discard(subscriber)
        if subscribers:
            return False
        del self._subscribers[chat_id]
        return True

    def has_subscribers(self, chat_id: uuid.UUID) -> bool:
        return chat_id in self._subscribers

    def chats(self) -> list[uuid.UUID]:
        return list(self._subscribers)

    def deliver(self, chat_id: uuid.UUID, frame: ServerFrame) -> None:
        for subscriber in self._subscribers.get(chat_id, ()):
            subscriber.deliver(frame)

    def lose_all(self, reason: str) -> None:
        for subscribers in self._subscribers.values():
            for subscriber in subscribers:
                subscriber.lose(reason)


class MemoryFrameBus:
    def __init__(self, backlog: int = DEFAULT_BACKLOG) -> None:
        self._fanout = LocalFanout(backlog)

    async def publish(self, chat_id: uuid.UUID, frame: ServerFrame) -> None:
        self._fanout.deliver(chat_id, frame)

    @asynccontextmanager
    async def subscribe(self, chat_id: uuid.UUID) -> AsyncIterator[AsyncIterator[ServerFrame]]:
        subscriber = self._fanout.add(chat_id)
        try:
            yield subscriber
        finally:
            self._fanout.remove(chat_id, subscriber)
