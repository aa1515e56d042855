"""Who gets the embedding model next: a person waiting on a search first, then document batches taking turns
by owner, so one user's 25 MB upload cannot starve another user's upload or anybody's question.

The model runs at most ``concurrency`` calls at once (one, for a local model on CPU); everything else waits
here, not in the model's executor, so the choice of what runs next is made when a call ends, not when it was
queued. Document batches are cut into slices of ``slice_size`` texts, each scheduled on its own, so a
question waits at most one slice, not one large batch.
"""

from __future__ import annotations

import asyncio
import uuid
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from functools import partial
from typing import TypeVar

from application.ports.embedder import Embedder

T = TypeVar("T")
_NO_OWNER = uuid.UUID(int=0)


class FairEmbedder:
    """An ``Embedder`` in front of another: queries before document slices, document slices round-robin by
    owner (first come, first served within one owner)."""

    def __init__(self, inner: Embedder, *, concurrency: int = 1, slice_size: int = 8) -> None:
        self._inner = inner
        self._free = max(1, concurrency)
        self._slice_size = max(1, slice_size)
        self._queries: deque[asyncio.Future[None]] = deque()
        self._batches: dict[uuid.UUID, deque[asyncio.Future[None]]] = {}
        self._turns: deque[uuid.UUID] = deque()  # owners with waiting slices, in the order they are served

    @property
    def dimension(self) -> int:
        return self._inner.dimension

    async def embed_query(self, text: str) -> list[float]:
        return await self._when_granted(self._queries.append, lambda: self._inner.embed_query(text))

    async def embed_documents(self, texts: Sequence[str], *, owner_id: uuid.UUID | None = None) -> list[list[float]]:
        owner = owner_id or _NO_OWNER
        vectors: list[list[float]] = []
        for start in range(0, len(texts), self._slice_size):
            piece = list(texts[start : start + self._slice_size])
            vectors += await self._when_granted(
                lambda granted: self._queue_slice(owner, granted),
                partial(self._inner.embed_documents, piece, owner_id=owner_id),
            )
        return vectors

    def _queue_slice(self, owner: uuid.UUID, granted: asyncio.Future[None]) -> None:
        queue = self._batches.get(owner)
        if queue is None:
            queue = self._batches[owner] = deque()
            self._turns.append(owner)
        queue.append(granted)

    async def _when_granted(
        self, wait_in_line: Callable[[asyncio.Future[None]], None], call: Callable[[], Awaitable[T]]
    ) -> T:
        """Runs ``call`` now if the model has room and nobody waits; else waits its turn (``wait_in_line``
        puts its ticket in the right queue)."""
        if self._free > 0 and not self._waiting():
            self._free -= 1
        else:
            granted = asyncio.get_running_loop().create_future()
            wait_in_line(granted)
            try:
                await granted
            except asyncio.CancelledError:
                if granted.done() and not granted.cancelled():
                    self._hand_on()  # granted just as we were cancelled: pass the turn on
                raise
        try:
            return await call()
        finally:
            self._hand_on()

    def _waiting(self) -> bool:
        return bool(self._queries or self._turns)

    def _hand_on(self) -> None:
        """A call ended: its place goes to the next waiter (skipping any that gave up), else becomes free."""
        while (granted := self._next()) is not None:
            if not granted.done():
                granted.set_result(None)
                return
        self._free += 1

    def _next(self) -> asyncio.Future[None] | None:
        if self._queries:
            return self._queries.popleft()
        while self._turns:
            owner = self._turns.popleft()
            queue = self._batches[owner]
            granted = queue.popleft()
            if queue:
                self._turns.append(owner)  # the owner's next slice waits for everyone else's turn
            else:
                del self._batches[owner]
            return granted
        return None
