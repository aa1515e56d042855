"""The ChunkIndex write path against the memory twin and PostgreSQL: several documents' chunks swapped at once."""

from __future__ import annotations

import uuid

import pytest

from application.ports.chunk_index import SearchMode
from domain.errors import NotFound
from tests.contract.chunk_index_backends import Backend, axis, chunk, indexed, search, texts


async def test_several_documents_chunks_are_swapped_in_one_unit_of_work(index_backend: Backend) -> None:
    first = await indexed(index_backend, lambda d: [chunk(d, 0, "old penguin one", axis((0, 1.0)))])
    second = await indexed(
        index_backend, lambda d: [chunk(d, 0, "old penguin two", axis((0, 1.0)))], owner_id=first.owner_id
    )
    emptied = await indexed(
        index_backend, lambda d: [chunk(d, 0, "old penguin three", axis((0, 1.0)))], owner_id=first.owner_id
    )
    async with index_backend.open() as r:
        await r.chunks.replace_chunks_of_documents(
            first.owner_id,
            {
                first.id: [chunk(first, i, f"new penguin {i} of one", axis((0, 1.0), (1, 0.1 * i))) for i in range(3)],
                second.id: [chunk(second, 0, "new penguin of two", axis((0, 1.0), (2, 1.0)), page=3)],
                emptied.id: [],
            },
        )
        await r.uow.commit()
    for mode in SearchMode:
        hits = await search(index_backend, first.owner_id, "penguin", axis((0, 1.0)), k=10, mode=mode)
        assert sorted(texts(hits)) == ["new penguin 0 of one", "new penguin 1 of one", "new penguin 2 of one",
                                       "new penguin of two"], mode  # fmt: skip
    async with index_backend.open() as r:
        stored = await r.chunks.document_chunks(first.owner_id, second.id)
        assert [(c.ordinal, c.text, c.page, c.char_start) for c in stored] == [(0, "new penguin of two", 3, 0)]
        assert await r.chunks.document_chunks(first.owner_id, emptied.id) == []


async def test_a_missing_or_foreign_document_writes_nothing_once_rolled_back(index_backend: Backend) -> None:
    mine = await indexed(index_backend, lambda d: [chunk(d, 0, "old penguin", axis((0, 1.0)))])
    theirs = await indexed(index_backend, lambda d: [chunk(d, 0, "their penguin", axis((0, 1.0)))])
    for other in (uuid.uuid4(), theirs.id):
        async with index_backend.open() as r:
            with pytest.raises(NotFound):
                await r.chunks.replace_chunks_of_documents(
                    mine.owner_id, {mine.id: [chunk(mine, 0, "new penguin", axis((0, 1.0)))], other: []}
                )
            await r.uow.rollback()
    assert texts(await search(index_backend, mine.owner_id, "penguin", axis((0, 1.0)))) == ["old penguin"]
    assert texts(await search(index_backend, theirs.owner_id, "penguin", axis((0, 1.0)))) == ["their penguin"]


async def test_a_chunk_of_another_document_is_refused(index_backend: Backend) -> None:
    first = await indexed(index_backend, lambda d: [])
    second = await indexed(index_backend, lambda d: [], owner_id=first.owner_id)
    async with index_backend.open() as r:
        with pytest.raises(ValueError, match="belong"):
            await r.chunks.replace_chunks_of_documents(
                first.owner_id, {first.id: [chunk(second, 0, "misplaced", axis((0, 1.0)))]}
            )
        await r.uow.rollback()
