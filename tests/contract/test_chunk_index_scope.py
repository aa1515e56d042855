"""The ChunkIndex contract, continued: a chat's document scope and identical texts, on the memory twin and
PostgreSQL + pgvector alike."""

from __future__ import annotations

import uuid

from application.ports.chunk_index import SearchMode
from domain.documents import DocumentScope
from tests.contract.chunk_index_backends import Backend, axis, chunk, indexed, search, texts

ALL_MODES = list(SearchMode)


async def test_a_scope_admits_the_listed_documents_and_the_tagged_ones_in_every_mode(index_backend: Backend) -> None:
    listed = await indexed(index_backend, lambda d: [chunk(d, 0, "penguin listed", axis((1, 1.0)))])
    owner = listed.owner_id
    await indexed(
        index_backend, lambda d: [chunk(d, 0, "penguin tagged", axis((1, 1.0)))], owner_id=owner, tags=["birds"]
    )
    await indexed(  # the best match of all, outside the scope
        index_backend,
        lambda d: [chunk(d, 0, "penguin penguin outside", axis((0, 1.0)))],
        owner_id=owner,
        tags=["other"],
    )
    scope = DocumentScope(document_ids=(listed.id,), tags=("birds",))
    for mode in ALL_MODES:
        hits = await search(index_backend, owner, "penguin", axis((0, 1.0)), mode=mode, scope=scope)
        assert sorted(texts(hits)) == ["penguin listed", "penguin tagged"], mode
        only_tag = await search(
            index_backend, owner, "penguin", axis((0, 1.0)), mode=mode, scope=DocumentScope(tags=("birds",))
        )
        assert texts(only_tag) == ["penguin tagged"], mode
        everything = await search(index_backend, owner, "penguin", axis((0, 1.0)), mode=mode, scope=DocumentScope())
        assert len(everything) == 3, mode


async def test_a_scope_naming_only_missing_or_foreign_documents_finds_nothing(index_backend: Backend) -> None:
    mine = await indexed(index_backend, lambda d: [chunk(d, 0, "penguin mine", axis((0, 1.0)))])
    foreign = await indexed(index_backend, lambda d: [chunk(d, 0, "penguin foreign", axis((0, 1.0)))], tags=["x"])
    scope = DocumentScope(document_ids=(foreign.id, uuid.uuid4()), tags=("x",))
    for mode in ALL_MODES:
        assert await search(index_backend, mine.owner_id, "penguin", axis((0, 1.0)), mode=mode, scope=scope) == []


async def test_a_narrow_scope_among_many_chunks_still_fills_its_results(index_backend: Backend) -> None:
    small = await indexed(
        index_backend, lambda d: [chunk(d, i, f"small penguin {i}", axis((1, 1.0), (2 + i, 0.5))) for i in range(4)]
    )
    big = await indexed(index_backend, lambda d: [], owner_id=small.owner_id, filename="big.txt")
    await index_backend.bulk_add(small.owner_id, big.id, 2_000, axis((0, 1.0)), "penguin penguin")
    for mode in ALL_MODES:
        hits = await search(
            index_backend,
            small.owner_id,
            "penguin",
            axis((0, 1.0)),
            k=3,
            mode=mode,
            scope=DocumentScope(document_ids=(small.id,)),
        )
        assert len(hits) == 3 and all(body.startswith("small penguin") for body in texts(hits)), mode


async def test_identical_texts_are_returned_once_in_every_mode(index_backend: Backend) -> None:
    first = await indexed(
        index_backend,
        lambda d: [chunk(d, 0, "penguin licence text", axis((0, 1.0))), chunk(d, 1, "penguin one", axis((1, 1.0)))],
    )
    await indexed(
        index_backend,
        lambda d: [chunk(d, 0, "penguin licence text", axis((0, 1.0))), chunk(d, 1, "penguin two", axis((2, 1.0)))],
        owner_id=first.owner_id,
    )
    for mode in ALL_MODES:
        hits = texts(await search(index_backend, first.owner_id, "penguin licence", axis((0, 1.0)), k=3, mode=mode))
        assert sorted(hits) == ["penguin licence text", "penguin one", "penguin two"], mode
        assert hits[0] == "penguin licence text", mode
