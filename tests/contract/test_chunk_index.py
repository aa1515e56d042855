"""The ChunkIndex contract: the same searches against the memory twin and PostgreSQL + pgvector."""

from __future__ import annotations

import pytest

from application.ports.chunk_index import SearchMode
from domain.documents import DocumentStatus
from tests.contract.chunk_index_backends import (
    Backend,
    axis,
    chunk,
    indexed,
    search,
    texts,
)

ALL_MODES = list(SearchMode)


async def test_vector_search_ranks_by_cosine_and_returns_where_each_passage_came_from(
    index_backend: Backend,
) -> None:
    document = await indexed(
        index_backend,
        lambda d: [
            chunk(d, 0, "far", axis((1, 1.0))),
            chunk(d, 1, "near", axis((0, 1.0), (1, 0.2)), page=4, heading_path=["Guide", "Setup"]),
            chunk(d, 2, "middle", axis((0, 1.0), (1, 1.0))),
        ],
        filename="guide.pdf",
    )
    async with index_backend.open() as r:
        passages = await r.chunks.search(document.owner_id, "anything", axis((0, 1.0)), 2, SearchMode.VECTOR)
    assert [p.text for p in passages] == ["near", "middle"]
    near = passages[0]
    assert (near.document_id, near.filename, near.ordinal, near.page, near.heading_path) == (
        document.id,
        "guide.pdf",
        1,
        4,
        ["Guide", "Setup"],
    )
    assert (near.char_start, near.char_end) == (100, 104)
    assert near.score == pytest.approx(1 / (1 + 0.04) ** 0.5, abs=1e-4)


async def test_keyword_search_prefers_passages_matching_more_query_words(index_backend: Backend) -> None:
    document = await indexed(
        index_backend,
        lambda d: [
            chunk(d, 0, "Penguins live in Antarctica and eat krill.", axis((0, 1.0))),
            chunk(d, 1, "Volcanoes erupt molten rock.", axis((0, 1.0))),
            chunk(d, 2, "Penguins cannot fly.", axis((0, 1.0))),
        ],
    )
    hits = await search(index_backend, document.owner_id, "where do penguins eat krill?", None, mode=SearchMode.KEYWORD)
    assert texts(hits) == ["Penguins live in Antarctica and eat krill.", "Penguins cannot fly."]


async def test_hybrid_search_fuses_both_rankings(index_backend: Backend) -> None:
    document = await indexed(
        index_backend,
        lambda d: [
            chunk(d, 0, "ice carves valleys", axis((0, 1.0))),  # best vector match, no shared words
            chunk(d, 1, "penguin colonies", axis((0, 0.3), (1, 1.0))),  # best keyword match, weak vector
            chunk(d, 2, "penguin diets and glaciers", axis((0, 1.0), (1, 0.5))),  # good at both
            chunk(d, 3, "unrelated text", axis((2, 1.0))),
        ],
    )
    hits = await search(index_backend, document.owner_id, "penguin glaciers", axis((0, 1.0)), k=3)
    assert texts(hits)[0] == "penguin diets and glaciers"
    assert set(texts(hits)) == {"penguin diets and glaciers", "ice carves valleys", "penguin colonies"}
    assert [score for _, score in hits] == sorted((score for _, score in hits), reverse=True)


async def test_only_ready_documents_are_searched(index_backend: Backend) -> None:
    ready = await indexed(index_backend, lambda d: [chunk(d, 0, "penguin ready", axis((0, 1.0)))])
    for status in (DocumentStatus.INDEXING, DocumentStatus.FAILED, DocumentStatus.PENDING):
        await indexed(
            index_backend,
            lambda d: [chunk(d, 0, "penguin hidden", axis((0, 1.0)))],
            status=status,
            owner_id=ready.owner_id,
        )
    for mode in ALL_MODES:
        assert texts(await search(index_backend, ready.owner_id, "penguin", axis((0, 1.0)), mode=mode)) == [
            "penguin ready"
        ]


async def test_user_a_never_sees_user_b_chunks_even_when_they_match_better(index_backend: Backend) -> None:
    mine = await indexed(index_backend, lambda d: [chunk(d, 0, "a weak mention of penguin", axis((1, 1.0)))])
    await indexed(
        index_backend, lambda d: [chunk(d, i, "penguin penguin penguin facts", axis((0, 1.0))) for i in range(20)]
    )
    for mode in ALL_MODES:
        hits = await search(index_backend, mine.owner_id, "penguin facts", axis((0, 1.0)), k=5, mode=mode)
        assert texts(hits) == ["a weak mention of penguin"], mode


async def test_replacing_a_documents_chunks_swaps_the_whole_set(index_backend: Backend) -> None:
    document = await indexed(
        index_backend, lambda d: [chunk(d, i, f"old penguin {i}", axis((0, 1.0))) for i in range(3)]
    )
    async with index_backend.open() as r:
        await r.chunks.replace_document_chunks(
            document.owner_id, document.id, [chunk(document, 0, "new penguin", axis((0, 1.0)))]
        )
        await r.uow.commit()
    for mode in ALL_MODES:
        assert texts(await search(index_backend, document.owner_id, "penguin", axis((0, 1.0)), mode=mode)) == [
            "new penguin"
        ]


async def test_an_uncommitted_replace_leaves_the_old_chunks(index_backend: Backend) -> None:
    document = await indexed(index_backend, lambda d: [chunk(d, 0, "old penguin", axis((0, 1.0)))])
    async with index_backend.open() as r:
        await r.chunks.replace_document_chunks(document.owner_id, document.id, [])
        await r.uow.rollback()
    assert texts(await search(index_backend, document.owner_id, "penguin", axis((0, 1.0)))) == ["old penguin"]


async def test_a_documents_chunks_read_back_in_order_for_their_owner_only(index_backend: Backend) -> None:
    document = await indexed(
        index_backend,
        lambda d: [
            chunk(d, 1, "second passage", axis((0, 1.0)), page=2, heading_path=["Guide", "Indexes"]),
            chunk(d, 0, "first passage", axis((1, 1.0)), page=1),
        ],
    )
    stranger = await indexed(index_backend, lambda d: [chunk(d, 0, "not yours", axis((0, 1.0)))])
    async with index_backend.open() as r:
        mine = await r.chunks.document_chunks(document.owner_id, document.id)
        foreign = await r.chunks.document_chunks(stranger.owner_id, document.id)
    assert [(c.ordinal, c.text, c.page, c.heading_path, c.char_start) for c in mine] == [
        (0, "first passage", 1, [], 0),
        (1, "second passage", 2, ["Guide", "Indexes"], 100),
    ]
    assert all(c.embedding is None and c.document_id == document.id for c in mine)
    assert foreign == []


async def test_deleting_a_document_removes_its_chunks(index_backend: Backend) -> None:
    document = await indexed(index_backend, lambda d: [chunk(d, 0, "penguin", axis((0, 1.0)))])
    async with index_backend.open() as r:
        await r.chunks.delete_document(document.owner_id, document.id)
        await r.uow.commit()
    assert await search(index_backend, document.owner_id, "penguin", axis((0, 1.0))) == []


@pytest.mark.parametrize(
    "query",
    [
        "'",
        "&",
        "!",
        ":*",
        "penguin:* & !(",
        "a | b <-> c",
        '"unclosed',
        "-",
        "()",
        "'; DROP TABLE chunks; --",
        "the and of",
        "penguin\\",
        "é€🐧",
        "penguin notes, use --format=json",  # PostgreSQL parses it as !!( 'format' <-> 'json' )
        "--verbose --dry-run penguin",
        "penguin " + "-" * 40 + " notes",  # 32 or more nested NOTs overflow PostgreSQL's tsquery parser
        "penguin " + "- " * 40 + "notes",
        "---- separator ---- " * 20,
    ],
)
async def test_tsquery_metacharacters_are_plain_text(index_backend: Backend, query: str) -> None:
    document = await indexed(index_backend, lambda d: [chunk(d, 0, "penguin notes", axis((0, 1.0)))])
    for mode in ALL_MODES:
        hits = await search(index_backend, document.owner_id, query, axis((0, 1.0)), mode=mode)
        assert set(texts(hits)) <= {"penguin notes"}
    assert texts(await search(index_backend, document.owner_id, "penguin", None, mode=SearchMode.KEYWORD)) == [
        "penguin notes"
    ]


async def test_a_user_with_three_chunks_among_100000_others_still_gets_all_three(index_backend: Backend) -> None:
    mine = await indexed(
        index_backend,
        lambda d: [chunk(d, i, f"my penguin note {i}", axis((1, 1.0), (2 + i, 0.5))) for i in range(3)],
    )
    others = await indexed(index_backend, lambda d: [], filename="big.txt")
    await index_backend.bulk_add(others.owner_id, others.id, 100_000, axis((0, 1.0)), "penguin penguin penguin")
    others.chunks_done = others.chunks_total = 100_000  # as indexing records it: the large owner uses the index
    async with index_backend.open() as r:
        await r.documents.update(others)
        await r.uow.commit()
    for mode in ALL_MODES:
        hits = await search(index_backend, mine.owner_id, "penguin", axis((0, 1.0)), k=10, mode=mode)
        assert sorted(texts(hits)) == [f"my penguin note {i}" for i in range(3)], mode
    hits = await search(index_backend, others.owner_id, "penguin", axis((0, 1.0)), k=10, mode=SearchMode.VECTOR)
    assert len(hits) == 10
