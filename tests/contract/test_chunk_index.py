"""The ChunkIndex contract: the same searches against the memory twin and PostgreSQL + pgvector."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.memory.chunk_index import MemoryChunkIndex
from adapters.memory.document_repository import MemoryDocumentRepository
from adapters.memory.store import MemorySession, MemoryStore
from adapters.memory.unit_of_work import MemoryUnitOfWork
from adapters.memory.user_repository import MemoryUserRepository
from adapters.postgres.chunk_index import PgChunkIndex, vector_literal
from adapters.postgres.document_repository import PgDocumentRepository
from adapters.postgres.engine import create_session_factory
from adapters.postgres.unit_of_work import PgUnitOfWork
from adapters.postgres.user_repository import PgUserRepository
from application.ports.chunk_index import ChunkIndex, SearchMode
from application.ports.document_repository import DocumentRepository
from application.ports.unit_of_work import UnitOfWork
from application.ports.user_repository import UserRepository
from domain.documents import Chunk, Document, DocumentStatus
from tests.contract.persistence import at, new_document, new_user

DIM = 384  # the migration's default dimension


@dataclass(frozen=True)
class Request:
    users: UserRepository
    documents: DocumentRepository
    chunks: ChunkIndex
    uow: UnitOfWork


@dataclass(frozen=True)
class Backend:
    open: Callable[[], AbstractAsyncContextManager[Request]]
    bulk_add: Callable[[uuid.UUID, uuid.UUID, int, list[float], str], object]
    """Adds many chunks with one vector and text to a document, fast (bypasses the adapter)."""


def memory_backend() -> Backend:
    store = MemoryStore()

    @asynccontextmanager
    async def open_request() -> AsyncIterator[Request]:
        session = MemorySession(store)
        try:
            yield Request(
                MemoryUserRepository(session),
                MemoryDocumentRepository(session),
                MemoryChunkIndex(session),
                MemoryUnitOfWork(session),
            )
        finally:
            session.close()

    async def bulk_add(
        owner: uuid.UUID, document: uuid.UUID, count: int, vector: list[float], body: str
    ) -> None:
        store.chunks[document] = [
            Chunk(
                id=uuid.uuid4(),
                document_id=document,
                owner_id=owner,
                ordinal=i,
                text=body,
                char_start=0,
                char_end=len(body),
                embedding=vector,
            )
            for i in range(count)
        ]

    return Backend(open_request, bulk_add)


def postgres_backend(engine: AsyncEngine) -> Backend:
    sessions = create_session_factory(engine)

    @asynccontextmanager
    async def open_request() -> AsyncIterator[Request]:
        async with sessions() as session:
            yield Request(
                PgUserRepository(session),
                PgDocumentRepository(session),
                PgChunkIndex(session),
                PgUnitOfWork(session),
            )

    async def bulk_add(
        owner: uuid.UUID, document: uuid.UUID, count: int, vector: list[float], body: str
    ) -> None:
        # Inserting 100,000 rows one by one into a live HNSW index takes minutes on two cores: bulk-load with
        # the index dropped, then rebuild it (small build parameters: this is about filtering, not recall).
        async with engine.begin() as connection:
            await connection.execute(text("DROP INDEX ix_chunks_embedding"))
            await connection.execute(
                text("""INSERT INTO chunks (id, document_id, owner_id, ordinal, text, char_start, char_end,
                                            embedding)
                        SELECT gen_random_uuid(), :document, :owner, g, :body, 0, length(:body),
                               CAST(:vector AS vector)
                        FROM generate_series(0, :count - 1) AS g"""),
                {
                    "document": document,
                    "owner": owner,
                    "body": body,
                    "vector": vector_literal(vector),
                    "count": count,
                },
            )
            await connection.execute(text("SET maintenance_work_mem = '256MB'"))
            await connection.execute(
                text(
                    "CREATE INDEX ix_chunks_embedding ON chunks USING hnsw (embedding vector_cosine_ops) "
                    "WITH (m = 4, ef_construction = 8)"
                )
            )

    return Backend(open_request, bulk_add)


@pytest.fixture(params=["memory", "postgres"])
def backend(request: pytest.FixtureRequest) -> Backend:
    if request.param == "memory":
        return memory_backend()
    return postgres_backend(request.getfixturevalue("pg_engine"))


def axis(*weights: tuple[int, float]) -> list[float]:
    """A unit vector mixing a few basis directions, so similarities are easy to reason about."""
    vector = [0.0] * DIM
    for index, weight in weights:
        vector[index] = weight
    norm = sum(v * v for v in vector) ** 0.5
    return [v / norm for v in vector]


def chunk(document: Document, ordinal: int, body: str, vector: list[float], **extra: object) -> Chunk:
    return Chunk(
        id=uuid.uuid4(),
        document_id=document.id,
        owner_id=document.owner_id,
        ordinal=ordinal,
        text=body,
        char_start=ordinal * 100,
        char_end=ordinal * 100 + len(body),
        embedding=vector,
        **extra,
    )  # type: ignore[arg-type]


async def indexed(
    backend: Backend,
    chunks_of: Callable[[Document], list[Chunk]],
    status: DocumentStatus = DocumentStatus.READY,
    owner_id: uuid.UUID | None = None,
    filename: str = "notes.md",
) -> Document:
    """A committed document (with a committed owner unless given) holding ``chunks_of(document)``."""
    async with backend.open() as r:
        if owner_id is None:
            user = new_user()
            await r.users.add(user)
            owner_id = user.id
        document = new_document(owner_id, filename=filename)
        await r.documents.add(document)
        await r.uow.commit()
        await r.chunks.replace_document_chunks(owner_id, document.id, chunks_of(document))
        if status is not DocumentStatus.PENDING:
            document.start_indexing(at(1))
            if status is DocumentStatus.READY:
                document.mark_ready(len(chunks_of(document)), at(2))
        await r.documents.update(document)
        await r.uow.commit()
    return document


async def search(
    backend: Backend,
    owner_id: uuid.UUID,
    query: str,
    vector: list[float] | None,
    k: int = 10,
    mode: SearchMode = SearchMode.HYBRID,
) -> list[tuple[str, float]]:
    async with backend.open() as r:
        passages = await r.chunks.search(owner_id, query, vector, k, mode)
    return [(p.text, p.score) for p in passages]


def texts(hits: list[tuple[str, float]]) -> list[str]:
    return [body for body, _ in hits]


ALL_MODES = list(SearchMode)


async def test_vector_search_ranks_by_cosine_and_returns_where_each_passage_came_from(
    backend: Backend,
) -> None:
    document = await indexed(
        backend,
        lambda d: [
            chunk(d, 0, "far", axis((1, 1.0))),
            chunk(d, 1, "near", axis((0, 1.0), (1, 0.2)), page=4, heading_path=["Guide", "Setup"]),
            chunk(d, 2, "middle", axis((0, 1.0), (1, 1.0))),
        ],
        filename="guide.pdf",
    )
    async with backend.open() as r:
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


async def test_keyword_search_prefers_passages_matching_more_query_words(backend: Backend) -> None:
    document = await indexed(
        backend,
        lambda d: [
            chunk(d, 0, "Penguins live in Antarctica and eat krill.", axis((0, 1.0))),
            chunk(d, 1, "Volcanoes erupt molten rock.", axis((0, 1.0))),
            chunk(d, 2, "Penguins cannot fly.", axis((0, 1.0))),
        ],
    )
    hits = await search(
        backend, document.owner_id, "where do penguins eat krill?", None, mode=SearchMode.KEYWORD
    )
    assert texts(hits) == ["Penguins live in Antarctica and eat krill.", "Penguins cannot fly."]


async def test_hybrid_search_fuses_both_rankings(backend: Backend) -> None:
    document = await indexed(
        backend,
        lambda d: [
            chunk(d, 0, "ice carves valleys", axis((0, 1.0))),  # best vector match, no shared words
            chunk(d, 1, "penguin colonies", axis((0, 0.3), (1, 1.0))),  # best keyword match, weak vector
            chunk(d, 2, "penguin diets and glaciers", axis((0, 1.0), (1, 0.5))),  # good at both
            chunk(d, 3, "unrelated text", axis((2, 1.0))),
        ],
    )
    hits = await search(backend, document.owner_id, "penguin glaciers", axis((0, 1.0)), k=3)
    assert texts(hits)[0] == "penguin diets and glaciers"
    assert set(texts(hits)) == {"penguin diets and glaciers", "ice carves valleys", "penguin colonies"}
    assert [score for _, score in hits] == sorted((score for _, score in hits), reverse=True)


async def test_only_ready_documents_are_searched(backend: Backend) -> None:
    ready = await indexed(backend, lambda d: [chunk(d, 0, "penguin ready", axis((0, 1.0)))])
    for status in (DocumentStatus.INDEXING, DocumentStatus.FAILED, DocumentStatus.PENDING):
        await indexed(
            backend,
            lambda d: [chunk(d, 0, "penguin hidden", axis((0, 1.0)))],
            status=status,
            owner_id=ready.owner_id,
        )
    for mode in ALL_MODES:
        assert texts(await search(backend, ready.owner_id, "penguin", axis((0, 1.0)), mode=mode)) == [
            "penguin ready"
        ]


async def test_user_a_never_sees_user_b_chunks_even_when_they_match_better(backend: Backend) -> None:
    mine = await indexed(backend, lambda d: [chunk(d, 0, "a weak mention of penguin", axis((1, 1.0)))])
    await indexed(
        backend, lambda d: [chunk(d, i, "penguin penguin penguin facts", axis((0, 1.0))) for i in range(20)]
    )
    for mode in ALL_MODES:
        hits = await search(backend, mine.owner_id, "penguin facts", axis((0, 1.0)), k=5, mode=mode)
        assert texts(hits) == ["a weak mention of penguin"], mode


async def test_replacing_a_documents_chunks_swaps_the_whole_set(backend: Backend) -> None:
    document = await indexed(
        backend, lambda d: [chunk(d, i, f"old penguin {i}", axis((0, 1.0))) for i in range(3)]
    )
    async with backend.open() as r:
        await r.chunks.replace_document_chunks(
            document.owner_id, document.id, [chunk(document, 0, "new penguin", axis((0, 1.0)))]
        )
        await r.uow.commit()
    for mode in ALL_MODES:
        assert texts(await search(backend, document.owner_id, "penguin", axis((0, 1.0)), mode=mode)) == [
            "new penguin"
        ]


async def test_an_uncommitted_replace_leaves_the_old_chunks(backend: Backend) -> None:
    document = await indexed(backend, lambda d: [chunk(d, 0, "old penguin", axis((0, 1.0)))])
    async with backend.open() as r:
        await r.chunks.replace_document_chunks(document.owner_id, document.id, [])
        await r.uow.rollback()
    assert texts(await search(backend, document.owner_id, "penguin", axis((0, 1.0)))) == ["old penguin"]


async def test_deleting_a_document_removes_its_chunks(backend: Backend) -> None:
    document = await indexed(backend, lambda d: [chunk(d, 0, "penguin", axis((0, 1.0)))])
    async with backend.open() as r:
        await r.chunks.delete_document(document.owner_id, document.id)
        await r.uow.commit()
    assert await search(backend, document.owner_id, "penguin", axis((0, 1.0))) == []


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
    ],
)
async def test_tsquery_metacharacters_are_plain_text(backend: Backend, query: str) -> None:
    document = await indexed(backend, lambda d: [chunk(d, 0, "penguin notes", axis((0, 1.0)))])
    for mode in ALL_MODES:
        hits = await search(backend, document.owner_id, query, axis((0, 1.0)), mode=mode)
        assert set(texts(hits)) <= {"penguin notes"}
    assert texts(await search(backend, document.owner_id, "penguin", None, mode=SearchMode.KEYWORD)) == [
        "penguin notes"
    ]


async def test_a_user_with_three_chunks_among_100000_others_still_gets_all_three(backend: Backend) -> None:
    mine = await indexed(
        backend,
        lambda d: [chunk(d, i, f"my penguin note {i}", axis((1, 1.0), (2 + i, 0.5))) for i in range(3)],
    )
    others = await indexed(backend, lambda d: [], filename="big.txt")
    await backend.bulk_add(others.owner_id, others.id, 100_000, axis((0, 1.0)), "penguin penguin penguin")
    async with backend.open() as r:
        await r.documents.update(others)
        await r.uow.commit()
    for mode in ALL_MODES:
        hits = await search(backend, mine.owner_id, "penguin", axis((0, 1.0)), k=10, mode=mode)
        assert sorted(texts(hits)) == [f"my penguin note {i}" for i in range(3)], mode
    hits = await search(backend, others.owner_id, "penguin", axis((0, 1.0)), k=10, mode=SearchMode.VECTOR)
    assert len(hits) == 10
