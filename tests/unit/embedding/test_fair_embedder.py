"""The embedding model's turns: a search's query before queued document slices, document slices round-robin
by owner, and a caller that gives up while waiting never blocks the others. The fake model is "slow": each
call waits until the test releases it, so the order in which queued calls reach it is observable."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Sequence

import pytest

from adapters.embedding.fair_embedder import FairEmbedder

WAIT = 30.0
ALICE, BOB, CAROL = uuid.UUID(int=1), uuid.UUID(int=2), uuid.UUID(int=3)


class SlowModel:
    """Records each call's label ("q:<text>" or "<first text>") when it starts, then waits to be released."""

    dimension = 4

    def __init__(self) -> None:
        self.calls: list[str] = []
        self.running = 0
        self.most_at_once = 0
        self._releases: asyncio.Queue[None] = asyncio.Queue()
        self._started = asyncio.Condition()

    async def _call(self, label: str) -> None:
        async with self._started:
            self.calls.append(label)
            self._started.notify_all()
        self.running += 1
        self.most_at_once = max(self.most_at_once, self.running)
        try:
            await asyncio.wait_for(self._releases.get(), WAIT)
        finally:
            self.running -= 1

    async def embed_documents(self, texts: Sequence[str], *, owner_id: uuid.UUID | None = None) -> list[list[float]]:
        await self._call(texts[0])
        return [[float(len(text)), 0.0, 0.0, 0.0] for text in texts]

    async def embed_query(self, text: str) -> list[float]:
        await self._call(f"q:{text}")
        return [1.0, 0.0, 0.0, 0.0]

    async def wait_for_calls(self, count: int) -> None:
        async with self._started:
            await asyncio.wait_for(self._started.wait_for(lambda: len(self.calls) >= count), WAIT)

    def release(self) -> None:
        self._releases.put_nowait(None)


async def _settle() -> None:
    """Lets every ready task run until it blocks (they all queue within a few loop turns)."""
    for _ in range(20):
        await asyncio.sleep(0)


async def test_a_query_goes_before_queued_document_batches() -> None:
    model = SlowModel()
    fair = FairEmbedder(model, slice_size=2)
    upload = asyncio.create_task(fair.embed_documents([f"a{n}" for n in range(8)], owner_id=ALICE))
    await model.wait_for_calls(1)  # the first slice is on the model
    query = asyncio.create_task(fair.embed_query("ferry"))
    await _settle()
    model.release()
    await model.wait_for_calls(2)
    assert model.calls == ["a0", "q:ferry"], "the query did not jump the document's queued slices"
    for _ in range(4):
        model.release()
    assert await asyncio.wait_for(query, WAIT) == [1.0, 0.0, 0.0, 0.0]
    vectors = await asyncio.wait_for(upload, WAIT)
    assert [v[0] for v in vectors] == [2.0] * 8
    assert model.calls == ["a0", "q:ferry", "a2", "a4", "a6"]


async def test_document_slices_take_turns_by_owner() -> None:
    model = SlowModel()
    fair = FairEmbedder(model, slice_size=1)
    big = asyncio.create_task(fair.embed_documents([f"alice-{n}" for n in range(6)], owner_id=ALICE))
    await model.wait_for_calls(1)
    small = [
        asyncio.create_task(fair.embed_documents([f"bob-{n}" for n in range(2)], owner_id=BOB)),
        asyncio.create_task(fair.embed_documents(["carol-0"], owner_id=CAROL)),
    ]
    await _settle()
    for count in range(2, 10):
        model.release()
        await model.wait_for_calls(count)
        await _settle()
    model.release()
    await asyncio.wait_for(asyncio.gather(big, *small), WAIT)
    # Alice's next slice queues when her running one ends, behind Bob's and Carol's, which were waiting.
    assert model.calls[:6] == ["alice-0", "bob-0", "carol-0", "alice-1", "bob-1", "alice-2"]
    assert model.most_at_once == 1


async def test_a_caller_that_gives_up_while_waiting_does_not_block_the_queue() -> None:
    model = SlowModel()
    fair = FairEmbedder(model, slice_size=1)
    first = asyncio.create_task(fair.embed_query("first"))
    await model.wait_for_calls(1)
    abandoned = asyncio.create_task(fair.embed_documents(["gone"], owner_id=ALICE))
    later = asyncio.create_task(fair.embed_documents(["later"], owner_id=BOB))
    await _settle()
    abandoned.cancel()
    model.release()
    await model.wait_for_calls(2)
    model.release()
    await asyncio.wait_for(asyncio.gather(first, later), WAIT)
    with pytest.raises(asyncio.CancelledError):
        await abandoned
    assert model.calls == ["q:first", "later"]


async def test_with_room_for_two_calls_two_run_at_once() -> None:
    model = SlowModel()
    fair = FairEmbedder(model, concurrency=2)
    calls = [asyncio.create_task(fair.embed_query(str(n))) for n in range(3)]
    await model.wait_for_calls(2)
    await _settle()
    assert model.running == 2 and len(model.calls) == 2
    for _ in range(3):
        model.release()
    await asyncio.wait_for(asyncio.gather(*calls), WAIT)
    assert model.most_at_once == 2
