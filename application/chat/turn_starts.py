"""How many turns do their database and preparation work at once, in one process."""

from __future__ import annotations

import asyncio
from types import TracebackType


class Admission:
    """One turn's place among those working: held from ``async with`` until ``release`` or the block's end,
    whichever comes first (``release`` may be called any number of times)."""

    def __init__(self, slots: asyncio.Semaphore) -> None:
        self._slots = slots
        self._held = False

    async def __aenter__(self) -> Admission:
        await self._slots.acquire()
        self._held = True
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.release()

    def release(self) -> None:
        if self._held:
            self._held = False
            self._slots.release()


class TurnStarts:
    """At most ``concurrency`` questions are being stored, read for, or prepared (history, edits, retrieval,
    the model request) at once; the others wait, first come first served. A turn holds its place until its
    model request is about to be sent, never while the model answers, and takes one again to store the answer.

    A burst of questions then goes through the process a few at a time instead of all at once: each one's
    transactions run on an event loop that is not flooded (so they stay short and the pool keeps free
    connections for everything else), the first questions get their first tokens without waiting for the
    last ones to be read, and an HTTP request made meanwhile waits behind a few turns' callbacks, not all of
    them. Streaming answers are not limited here (``turn_concurrency`` limits those)."""

    def __init__(self, concurrency: int) -> None:
        self._slots = asyncio.Semaphore(concurrency)

    def admit(self) -> Admission:
        return Admission(self._slots)
