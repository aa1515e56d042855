from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence

from sqlalchemy import RowMapping, delete, insert, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.postgres.errors import translate_errors
from adapters.postgres.tables import documents
from domain.documents import Document, DocumentStatus

_MUTABLE = ("status", "failure_reason", "chunks_done", "chunks_total", "updated_at", "tags")
_COLUMNS = (
    "id",
    "owner_id",
    "filename",
    "content_type",
    "size_bytes",
    "sha256",
    "blob_key",
    "created_at",
    "source_url",
    *_MUTABLE,
)
_CONTENT = ("size_bytes", "sha256", "content_type", "status", "failure_reason", "chunks_done", "chunks_total",
            "updated_at")

_UPDATE_STATES = text("""
    UPDATE documents AS d
    SET status = v.status, failure_reason = v.failure_reason, chunks_done = v.chunks_done,
        chunks_total = v.chunks_total, updated_at = v.updated_at
    FROM unnest(CAST(:ids AS uuid[]), CAST(:owners AS uuid[]), CAST(:statuses AS text[]), CAST(:reasons AS text[]),
                CAST(:done AS int[]), CAST(:total AS int[]), CAST(:updated AS timestamptz[]))
         AS v(id, owner_id, status, failure_reason, chunks_done, chunks_total, updated_at)
    WHERE d.id = v.id AND d.owner_id = v.owner_id
    RETURNING d.id""")
"""Several documents' life-cycle fields in one statement (``update_states``)."""


def _to_document(row: RowMapping) -> Document:
    fields = {name: row[name] for name in _COLUMNS}
    fields["status"] = DocumentStatus(row["status"])
    fields["tags"] = list(row["tags"] or [])
    return Document(**fields)


class PgDocumentRepository:
    """Every statement filters by ``owner_id`` in SQL: a foreign id acts exactly like a missing one."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    @translate_errors
    async def add(self, document: Document) -> None:
        values = {name: getattr(document, name) for name in _COLUMNS}
        values["status"] = document.status.value
        await self._session.execute(insert(documents).values(values))

    @translate_errors
    async def get(self, owner_id: uuid.UUID, document_id: uuid.UUID) -> Document | None:
        query = select(documents).where(documents.c.id == document_id, documents.c.owner_id == owner_id)
        row = (await self._session.execute(query)).mappings().first()
        return None if row is None else _to_document(row)

    @translate_errors
    async def get_many(self, owner_id: uuid.UUID, document_ids: Sequence[uuid.UUID]) -> list[Document]:
        query = select(documents).where(documents.c.id.in_(document_ids), documents.c.owner_id == owner_id)
        found = {row["id"]: _to_document(row) for row in (await self._session.execute(query)).mappings()}
        return [found[document_id] for document_id in dict.fromkeys(document_ids) if document_id in found]

    @translate_errors
    async def list(self, owner_id: uuid.UUID) -> list[Document]:
        query = (
            select(documents)
            .where(documents.c.owner_id == owner_id)
            .order_by(documents.c.created_at.desc(), documents.c.id.desc())
        )
        return [_to_document(row) for row in (await self._session.execute(query)).mappings()]

    @translate_errors
    async def find_by_sha256(self, owner_id: uuid.UUID, sha256: str) -> Document | None:
        query = (
            select(documents)
            .where(documents.c.owner_id == owner_id, documents.c.sha256 == sha256)
            .order_by(documents.c.created_at, documents.c.id)
            .limit(1)
        )
        row = (await self._session.execute(query)).mappings().first()
        return None if row is None else _to_document(row)

    @translate_errors
    async def update(self, document: Document) -> bool:
        """Writes the life-cycle fields; a document deleted meanwhile stays deleted (nothing is written)."""
        return await self._write(document, _MUTABLE)

    @translate_errors
    async def update_states(self, documents: Sequence[Document]) -> set[uuid.UUID]:
        if not documents:
            return set()
        rows = await self._session.execute(
            _UPDATE_STATES,
            {
                "ids": [d.id for d in documents],
                "owners": [d.owner_id for d in documents],
                "statuses": [d.status.value for d in documents],
                "reasons": [d.failure_reason for d in documents],
                "done": [d.chunks_done for d in documents],
                "total": [d.chunks_total for d in documents],
                "updated": [d.updated_at for d in documents],
            },
        )
        return set(rows.scalars())

    @translate_errors
    async def replace_content(self, document: Document) -> bool:
        """Writes the content fields (size, hash, type) with the life-cycle fields; tags stay as they are."""
        return await self._write(document, _CONTENT)

    async def _write(self, document: Document, fields: Iterable[str]) -> bool:
        """False when the document no longer exists."""
        values = {name: getattr(document, name) for name in fields}
        values["status"] = document.status.value
        result = await self._session.execute(
            update(documents)
            .where(documents.c.id == document.id, documents.c.owner_id == document.owner_id)
            .values(values)
            .returning(documents.c.id)
        )
        return result.first() is not None

    @translate_errors
    async def delete(self, owner_id: uuid.UUID, document_id: uuid.UUID) -> bool:
        statement = (
            delete(documents)
            .where(documents.c.id == document_id, documents.c.owner_id == owner_id)
            .returning(documents.c.id)
        )
        return (await self._session.execute(statement)).first() is not None
