from __future__ import annotations

import uuid
from collections import Counter


class MemoryStopSignals:
    def __init__(self) -> None:
        self._generations: Counter[uuid.UUID] = Counter()

    async def request_stop(self, chat_id: uuid.UUID) -> None:
        self._generations[chat_id] += 1

    async def generation(self, chat_id: uuid.UUID) -> int:
        return self._generations[chat_id]
