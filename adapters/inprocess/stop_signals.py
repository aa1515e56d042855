from __future__ import annotations

import uuid
from collections import Counter


class MemoryStopSignals:
    """One process holds every turn, so a watch compares the counter itself: a stop is seen at once."""

    def __init__(self) -> None:
        self._generations: Counter[uuid.UUID] = Counter()

    async def request_stop(self, chat_id: uuid.UUID) -> None:
        self._generations[chat_id] += 1

    async def watch(self, chat_id: uuid.UUID) -> MemoryStopWatch:
        return MemoryStopWatch(self._generations, chat_id)


class MemoryStopWatch:
    def __init__(self, generations: Counter[uuid.UUID], chat_id: uuid.UUID) -> None:
        self._generations = generations
        self._chat_id = chat_id
        self._start = generations[chat_id]

    async def stopped(self) -> bool:
        return self._generations[self._chat_id] != self._start
