from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy import RowMapping, delete, insert, select, update
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
