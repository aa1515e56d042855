"""Hybrid passage search in PostgreSQL: pgvector HNSW (cosine) + full-text search, fused by rank.

Vector leg. When the search may return at most ``EXACT_UP_TO`` chunks (the owner's, or those in the chat's
scope; counted with a bound in the same statement, ``chunk_queries.vector_nearest``), they are compared
exactly: reading a few thousand vectors is faster than an index scan that must skip everyone else's.
Otherwise the HNSW index serves: an approximate scan returns the ``ef_search`` nearest chunks of *everyone*,
so pgvector 0.8's iterative scan (``hnsw.iterative_scan = relaxed_order``, set on every connection by
``engine.create_engine``) keeps scanning until the LIMIT is filled, up to ``hnsw.max_scan_tuples``; when
even that comes up short, the exact scan fills the list.

Keyword leg: ``keyword_search`` (bounded candidate selection through the GIN index, BM25-like ranking).
A hybrid search also ranks whole documents by the question's words (``document_keyword_search``) and by the
distance of their opening passage to the question (the vector leg's documents only; each hit carries it), and
fuses both lists too, lifting each listed document's best passage (``fusion.fuse_hybrid``). It runs both
keyword rankings on a borrowed second connection (``side_connections``) while the request's session
runs the vector leg, when there is room for one; otherwise the legs run one after the other.
Queries are parsed by ``websearch_to_tsquery``, safe for any user text: quotes, ``-``, ``&``, ``!``, ``:*``
are not syntax errors.

A chat's document scope is a condition inside each statement (``chunk_queries._searchable``), not a filter
applied afterwards, so a narrow scope still fills its results. Copies of one text (the same paragraph in two
files) are folded into one hit before fusion.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

import msgspec
from sqlalchemy import RowMapping, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from adapters.postgres.chunk_queries import EF_SEARCH, vector_exact, vector_nearest
from adapters.postgres.chunk_writes import replace_chunks
from adapters.postgres.document_keyword_search import ranked_documents
from adapters.postgres.errors import translate_errors
from adapters.postgres.keyword_search import keyword_rows, parse_query, ranked_chunks
from adapters.postgres.side_connections import SideConnections
from application.ports.chunk_index import SearchMode
from application.retrieval.fusion import (
    candidate_pool,
    fuse_hybrid,
    single_mode_pool,
    without_identical_texts,
)
from domain.documents import Chunk, DocumentScope, Passage

EXACT_UP_TO = 3_000
"""A search that may return at most this many chunks compares them all, exactly (see the module docstring)."""
_Nearest = tuple[list[Passage], dict[uuid.UUID, float]]
"""The vector leg's passages, and the similarity of their documents' opening passages (when asked for)."""


class PgChunkIndex:
    """Runs in the request's session: ``replace_document_chunks`` becomes durable with the use case's commit,
    together with the document's status change."""

    def __init__(
        self,
        session: AsyncSession,
        ef_search: int = 400,
        side: SideConnections | None = None,
    ) -> None:
        """``ef_search`` must be the value the engine's connections start with (``engine.create_engine``)."""
        self._session = session
        self._ef_search = ef_search
        self._side = side

    @translate_errors
    async def replace_document_chunks(
        self, owner_id: uuid.UUID, document_id: uuid.UUID, chunks: Sequence[Chunk]
    ) -> None:
        await replace_chunks(self._session, owner_id, {document_id: chunks})

    @translate_errors
    async def replace_chunks_of_documents(
        self, owner_id: uuid.UUID, chunks_by_document: Mapping[uuid.UUID, Sequence[Chunk]]
    ) -> None:
        await replace_chunks(self._session, owner_id, chunks_by_document)

    @translate_errors
    async def delete_document(self, owner_id: uuid.UUID, document_id: uuid.UUID) -> None:
        await self._session.execute(
            text("DELETE FROM chunks WHERE document_id = :id AND owner_id = :owner"),
            {"id": document_id, "owner": owner_id},
        )

    @translate_errors
    async def document_chunks(self, owner_id: uuid.UUID, document_id: uuid.UUID) -> list[Chunk]:
        rows = await self._session.execute(
            text(
                "SELECT id, ordinal, text, char_start, char_end, page, heading_path FROM chunks"
                " WHERE document_id = :id AND owner_id = :owner ORDER BY ordinal"
            ),
            {"id": document_id, "owner": owner_id},
        )
        return [
            Chunk(
                id=row.id,
                document_id=document_id,
                owner_id=owner_id,
                ordinal=row.ordinal,
                text=row.text,
                char_start=row.char_start,
                char_end=row.char_end,
                page=row.page,
                heading_path=list(row.heading_path or []),
            )
            for row in rows
        ]

    @translate_errors
    async def search(
        self,
        owner_id: uuid.UUID,
        query_text: str,
        query_vector: Sequence[float] | None,
        k: int,
        mode: SearchMode = SearchMode.HYBRID,
        scope: DocumentScope | None = None,
    ) -> list[Passage]:
        pool = single_mode_pool(k) if mode is not SearchMode.HYBRID else candidate_pool(k)
        where = _Where(owner_id, scope)
        if mode is not SearchMode.KEYWORD and query_vector is None:
            raise ValueError("vector and hybrid search need a query vector")
        vector = [float(v) for v in query_vector or ()]
        if mode is SearchMode.VECTOR:
            return without_identical_texts([(await self._nearest(where, vector, pool))[0]])[0][:k]
        if mode is SearchMode.KEYWORD:
            return without_identical_texts([await self._matching(where, query_text, pool)])[0][:k]
        (nearest, openings), (matching, documents) = await self._both(where, query_text, vector, pool)
        nearest, matching = without_identical_texts([nearest, matching])
        fused = fuse_hybrid(nearest, matching, documents, openings)
        return [_rescored(passage, score) for passage, score in fused[:k]]

    async def _both(
        self, where: _Where, query: str, vector: list[float], limit: int
    ) -> tuple[_Nearest, tuple[list[Passage], list[uuid.UUID]]]:
        """The vector leg and the keyword legs (passages, then documents), at the same time when a second
        connection can be borrowed. Both always run to their end (no cancellation mid-statement); the first
        failure is raised after."""
        if self._side is None or not self._side.reserve():
            alone = await self._nearest(where, vector, limit, openings=True)
            return alone, await self._keywords(self._session, where, query, limit)
        side = self._side

        async def keywords_aside() -> tuple[list[Passage], list[uuid.UUID]]:
            async with side.connection() as connection:
                return await self._keywords(connection, where, query, limit)

        try:
            nearest, keywords = await asyncio.gather(
                self._nearest(where, vector, limit, openings=True), keywords_aside(), return_exceptions=True
            )
        finally:
            side.release()
        if isinstance(nearest, BaseException):
            raise nearest
        if isinstance(keywords, BaseException):
            raise keywords
        return nearest, keywords

    @staticmethod
    async def _keywords(
        session: AsyncSession | AsyncConnection, where: _Where, query: str, limit: int
    ) -> tuple[list[Passage], list[uuid.UUID]]:
        """The keyword leg's passages and the documents ranked by all their passages' words together, from
        one parse of the question."""
        parsed = await parse_query(session, query)
        rows = await ranked_chunks(session, where.params, where.scoped, parsed, limit)
        documents = await ranked_documents(session, where.params, where.scoped, parsed)
        return [_passage(row, float(row["rank"])) for row in rows], documents

    async def _nearest(self, where: _Where, query: list[float], limit: int, openings: bool = False) -> _Nearest:
        """The nearest passages, and (``openings``) the similarity of each of their documents' opening passage."""
        ef_search = min(max(self._ef_search, limit), 1000)  # pgvector's upper bound
        if ef_search == self._ef_search:  # the connection starts with self._ef_search (``engine``)
            return await self._nearest_rows(where, query, limit, openings)
        await self._session.execute(EF_SEARCH, {"ef_search": str(ef_search)})
        nearest = await self._nearest_rows(where, query, limit, openings)
        # Back to the connection's default. After a failure, a transaction's rollback takes the setting back;
        # without a transaction it stays until the connection's next wide search: slower, never less exact.
        await self._session.execute(EF_SEARCH, {"ef_search": str(self._ef_search)})
        return nearest

    async def _nearest_rows(self, where: _Where, query: list[float], limit: int, openings: bool) -> _Nearest:
        params = {**where.params, "query": query, "limit": limit}
        nearest = vector_nearest(where.scoped, openings)
        rows = (await self._session.execute(nearest, {**params, "exact_up_to": EXACT_UP_TO})).mappings().all()
        if len(rows) < limit and (not rows or rows[0]["owned"] > EXACT_UP_TO):  # the HNSW scan came up short
            rows = (await self._session.execute(vector_exact(where.scoped, openings), params)).mappings().all()
        ordered = sorted(rows, key=lambda row: (row["distance"], row["id"]))  # relaxed order → exact order
        passages = [_passage(row, 1.0 - float(row["distance"]), similar=True) for row in ordered]
        opened = {row["document_id"]: 1.0 - float(row["opening_distance"]) for row in ordered} if openings else {}
        return passages, opened

    async def _matching(self, where: _Where, query: str, limit: int) -> list[Passage]:
        rows = await keyword_rows(self._session, where.params, where.scoped, query, limit)
        return [_passage(row, float(row["rank"])) for row in rows]


class _Where:
    """The bind parameters of ``chunk_queries._searchable``: the owner, and the scope when there is one."""

    def __init__(self, owner_id: uuid.UUID, scope: DocumentScope | None) -> None:
        self.scoped = scope is not None and not scope.everything
        self.params: dict[str, Any] = {"owner": owner_id}
        if scope is not None and self.scoped:
            self.params.update(scope_ids=list(scope.document_ids), scope_tags=list(scope.tags))


def _passage(row: RowMapping, score: float, similar: bool = False) -> Passage:
    return Passage(
        chunk_id=row["id"],
        document_id=row["document_id"],
        filename=row["filename"],
        ordinal=row["ordinal"],
        text=row["text"],
        score=score,
        page=row["page"],
        heading_path=list(row["heading_path"] or []),
        char_start=row["char_start"],
        char_end=row["char_end"],
        similarity=score if similar else None,
    )


def _rescored(passage: Passage, score: float) -> Passage:
    return msgspec.structs.replace(passage, score=score)


async def indexed_dimension(session: AsyncSession) -> int | None:
    """The dimension of ``chunks.embedding`` in the live schema (None before migration 0002)."""
    row = (
        await session.execute(
            text("SELECT atttypmod FROM pg_attribute WHERE attrelid = to_regclass('chunks') AND attname = 'embedding'")
        )
    ).first()
    return None if row is None else int(row[0])
