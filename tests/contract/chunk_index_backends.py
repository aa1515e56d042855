"""Backends for the ChunkIndex contract: the memory twin and PostgreSQL + pgvector behind one interface,
plus builders for chunks with hand-made vectors."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.postgres.chunk_index import PgChunkIndex
from adapters.postgres.document_repository import PgDocumentRepository
from adapters.postgres.engine import create_session_factory
from adapters.postgres.side_connections import SideConnections
from adapters.postgres.unit_of_work import PgUnitOfWork
from adapters.postgres.user_repository import PgUserRepository
from application.ports.chunk_index import ChunkIndex, SearchMode
from application.ports.document_repository import DocumentRepository
from application.ports.unit_of_work import UnitOfWork
from application.ports.user_repository import UserRepository
from domain.documents import Chunk, Document, DocumentScope, DocumentStatus
from tests.contract.persistence import at, new_document, new_user
from tests.support.twins.chunk_index import MemoryChunkIndex
from tests.support.twins.document_repository import MemoryDocumentRepository
from tests.support.twins.store import MemorySession, MemoryStore
from tests.support.twins.unit_of_work import MemoryUnitOfWork
from tests.support.twins.user_repository import MemoryUserRepository

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
    """Adds many chunks with one vector to a document, fast (bypasses the adapter); chunk i's text is the
    given text followed by i (identical texts would be returned once)."""
    analyze: Callable[[], Awaitable[None]]
    """Brings the database's statistics up to date (word rarity comes from them in PostgreSQL)."""


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

    async def bulk_add(owner: uuid.UUID, document: uuid.UUID, count: int, vector: list[float], body: str) -> None:
        store.chunks[document] = [
            Chunk(
                id=uuid.uuid4(),
                document_id=document,
                owner_id=owner,
                ordinal=i,
                text=f"{body} {i}",
                char_start=0,
                char_end=len(body),
                embedding=vector,
            )
            for i in range(count)
        ]

    async def analyze() -> None:
        return None

    return Backend(open_request, bulk_add, analyze)


def postgres_backend(engine: AsyncEngine) -> Backend:
    sessions = create_session_factory(engine)
    side = SideConnections(engine, limit=2)  # hybrid searches run their keyword leg on a second connection

    @asynccontextmanager
    async def open_request() -> AsyncIterator[Request]:
        async with sessions() as session:
            yield Request(
                PgUserRepository(session),
                PgDocumentRepository(session),
                PgChunkIndex(session, side=side),
                PgUnitOfWork(session),
            )

    async def bulk_add(owner: uuid.UUID, document: uuid.UUID, count: int, vector: list[float], body: str) -> None:
        # Inserting 100,000 rows one by one into a live HNSW index takes minutes on two cores: bulk-load with
        # the index dropped, then rebuild it (small build parameters: this is about filtering, not recall).
        async with engine.begin() as connection:
            await connection.execute(text("DROP INDEX ix_chunks_embedding"))
            await connection.execute(
                text("""INSERT INTO chunks (id, document_id, owner_id, ordinal, text, char_start, char_end,
                                            embedding)
                        SELECT gen_random_uuid(), :document, :owner, g, :body || ' ' || g, 0, length(:body),
                               CAST(:vector AS vector)
                        FROM generate_series(0, :count - 1) AS g"""),
                {
                    "document": document,
                    "owner": owner,
                    "body": body,
                    "vector": vector,
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

    async def analyze() -> None:
        async with engine.begin() as connection:
            await connection.execute(text("ANALYZE chunks"))

    return Backend(open_request, bulk_add, analyze)


@pytest.fixture(params=["memory", "postgres"])
def index_backend(request: pytest.FixtureRequest) -> Backend:
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
    tags: list[str] | None = None,
) -> Document:
    """A committed document (with a committed owner unless given) holding ``chunks_of(document)``."""
    async with backend.open() as r:
        if owner_id is None:
            user = new_user()
            await r.users.add(user)
            owner_id = user.id
        document = new_document(owner_id, filename=filename)
        document.tags = list(tags or [])
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
    scope: DocumentScope | None = None,
) -> list[tuple[str, float]]:
    async with backend.open() as r:
        passages = await r.chunks.search(owner_id, query, vector, k, mode, scope)
    return [(p.text, p.score) for p in passages]


def texts(hits: list[tuple[str, float]]) -> list[str]:
    return [body for body, _ in hits]
