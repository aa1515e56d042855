"""Writing a document's chunks: the whole set swapped in the caller's transaction, several documents at a time.

The rows go in with one binary ``COPY`` (asyncpg's ``copy_records_to_table``; vectors in pgvector's binary form,
``vector_codec``) rather than an INSERT per row: the server skips a statement execution per row, and a bulk
load writes many documents per round trip. Locking the document rows first (``FOR UPDATE``, in id order so two
writers cannot deadlock) serializes two indexers of one document: the second one's DELETE then sees (and
removes) the first one's rows instead of colliding with them on (document, ordinal). Each document's
``tsv`` (all its chunks' words, for the document-level keyword ranking) is then rebuilt from the rows written.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any

import asyncpg
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.postgres.errors import TRANSIENT_SQLSTATES
from application.errors import StorageUnavailable
from domain.documents import Chunk
from domain.errors import NotFound

COLUMNS = (
    "id", "document_id", "owner_id", "ordinal", "text", "char_start", "char_end", "page", "heading_path",
    "embedding",
)  # fmt: skip
_LOCK = text("SELECT id FROM documents WHERE id = ANY(:ids) AND owner_id = :owner ORDER BY id FOR UPDATE")
_DELETE = text("DELETE FROM chunks WHERE document_id = ANY(:ids)")
# The document-level keyword vector (migration 0013) from the chunks just written; NULL without chunks.
_DOCUMENT_KEYWORDS = text("""
    UPDATE documents d SET tsv = (
        SELECT ragchat_keywords(c.tsv ORDER BY c.ordinal) FROM chunks c WHERE c.document_id = d.id HAVING count(*) > 0)
    WHERE d.id = ANY(:ids)""")


async def replace_chunks(
    session: AsyncSession, owner_id: uuid.UUID, chunks_by_document: Mapping[uuid.UUID, Sequence[Chunk]]
) -> None:
    """Raises ``NotFound`` when a document is missing or foreign (nothing written yet), ``ValueError`` for a
    chunk of another document or without its embedding."""
    ids = list(chunks_by_document)
    if not ids:
        return
    records = [
        _record(chunk, owner_id, document_id) for document_id, chunks in chunks_by_document.items() for chunk in chunks
    ]
    locked = (await session.execute(_LOCK, {"ids": ids, "owner": owner_id})).scalars().all()
    if len(locked) != len(set(ids)):
        raise NotFound("document not found")
    await session.execute(_DELETE, {"ids": ids})
    if records:
        connection = await session.connection()
        raw = await connection.get_raw_connection()
        driver: Any = raw.driver_connection  # asyncpg's Connection, inside the session's transaction
        try:
            await driver.copy_records_to_table("chunks", records=records, columns=COLUMNS)
        except (asyncpg.PostgresError, asyncpg.InterfaceError) as exc:  # past SQLAlchemy: translated here
            if isinstance(exc, asyncpg.InterfaceError) or (exc.sqlstate or "").startswith(TRANSIENT_SQLSTATES):
                raise StorageUnavailable("the database is unavailable; try again shortly") from exc
            raise
    await session.execute(_DOCUMENT_KEYWORDS, {"ids": ids})


def _record(chunk: Chunk, owner_id: uuid.UUID, document_id: uuid.UUID) -> tuple[Any, ...]:
    if chunk.owner_id != owner_id or chunk.document_id != document_id:
        raise ValueError("every chunk must belong to the document being replaced")
    if chunk.embedding is None:
        raise ValueError("chunks are stored with their embedding")
    return (
        chunk.id, document_id, owner_id, chunk.ordinal, chunk.text.replace("\x00", ""), chunk.char_start,
        chunk.char_end, chunk.page, list(chunk.heading_path), chunk.embedding,
    )  # fmt: skip
