"""The inbox of the embedded (one-process) mode: same at-least-once contract as Redis, kept in memory."""

from __future__ import annotations

import asyncio
import uuid
from collections import deque

from application.ports.inbox import InboxItem


class _ChatQueue:
    def __init__(self) -> None:
        self.queued: deque[InboxItem] = deque()
        self.in_flight: list[InboxItem] = []
        self.changed = asyncio.Condition()


class MemoryInbox:
    def __init__(self) -> None:
        self._chats: dict[uuid.UUID, _ChatQueue] = {}

    def _chat(self, chat_id: uuid.UUID) -> _ChatQueue:
        return self._chats.setdefault(chat_id, _ChatQueue())

    async def push(self, item: InboxItem) -> None:
        chat = self._chat(item.chat_id)
        async with chat.changed:
            chat.queued.append(item)
            chat.changed.notify()

    async def take(self, chat_id: uuid.UUID, wait_seconds: float = 0.0) -> InboxItem | None:
        chat = self._chat(chat_id)
        async with chat.changed:
            if not chat.queued:
                if wait_seconds <= 0:
                    return None
                try:
                    async with asyncio.timeout(wait_seconds):
                        await chat.changed.wait_for(lambda: bool(chat.queued))
                except TimeoutError:
                    return None
            item = chat.queued.popleft()
            chat.in_flight.append(item)
            return item

    async def ack(self, item: InboxItem) -> bool:
        chat = self._chats.get(item.chat_id)
        if chat is None or item not in chat.in_flight:
            return False
        chat.in_flight.remove(item)
        return True

    async def recover(self, chat_id: uuid.UUID) -> int:
        chat = self._chat(chat_id)
        async with chat.changed:
            returned = chat.in_flight
            chat.in_flight = []
            chat.queued.extendleft(reversed(returned))
            if returned:
                chat.changed.notify(len(returned))
            return len(returned)

    async def depth(self, chat_id: uuid.UUID) -> int:
        chat = self._chats.get(chat_id)
        return len(chat.queued) if chat else 0

    async def pending_chats(self) -> set[uuid.UUID]:
        return {chat_id for chat_id, chat in self._chats.items() if chat.queued or chat.in_flight}
