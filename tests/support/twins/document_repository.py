from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

import msgspec

from domain.documents import Document
from tests.support.twins.store import MemorySession, copied


class MemoryDocumentRepository:
    """Owner-scoped like the PostgreSQL one: a foreign id acts exactly like a missing one."""

    def __init__(self, session: MemorySession) -> None:
        self._session = session
        self._documents = session.store.documents

    def _owned(self, owner_id: uuid.UUID, document_id: uuid.UUID) -> Document | None:
        document = self._documents.get(document_id)
        return document if document is not None and document.owner_id == owner_id else None

    async def add(self, document: Document) -> None:
        self._session.put(self._documents, document.id, document)

    async def get(self, owner_id: uuid.UUID, document_id: uuid.UUID) -> Document | None:
        return copied(self._owned(owner_id, document_id))

    async def get_many(self, owner_id: uuid.UUID, document_ids: Sequence[uuid.UUID]) -> list[Document]:
        found = (self._owned(owner_id, document_id) for document_id in dict.fromkeys(document_ids))
        return [copied(document) for document in found if document is not None]

    async def list(self, owner_id: uuid.UUID) -> list[Document]:
        owned = [d for d in self._documents.values() if d.owner_id == owner_id]
        return [copied(d) for d in sorted(owned, key=lambda d: (d.created_at, d.id), reverse=True)]

    async def find_by_sha256(self, owner_id: uuid.UUID, sha256: str) -> Document | None:
        same = [d for d in self._documents.values() if d.owner_id == owner_id and d.sha256 == sha256]
        return copied(min(same, key=lambda d: (d.created_at, d.id))) if same else None

    async def update(self, document: Document) -> bool:
        """Only life-cycle fields and tags change; a document deleted meanwhile stays deleted."""
        stored = self._owned(document.owner_id, document.id)
        if stored is None:
            return False
        self._session.put(self._documents, document.id, _with_state(stored, document, tags=list(document.tags)))
        return True

    async def update_states(self, documents: Sequence[Document]) -> set[uuid.UUID]:
        written: set[uuid.UUID] = set()
        for document in documents:
            stored = self._owned(document.owner_id, document.id)
            if stored is not None:
                self._session.put(self._documents, document.id, _with_state(stored, document))
                written.add(document.id)
        return written

    async def replace_content(self, document: Document) -> bool:
        stored = self._owned(document.owner_id, document.id)
        if stored is None:
            return False
        changed = _with_state(
            stored, document, size_bytes=document.size_bytes, sha256=document.sha256, content_type=document.content_type
        )
        self._session.put(self._documents, document.id, changed)
        return True

    async def delete(self, owner_id: uuid.UUID, document_id: uuid.UUID) -> bool:
        if self._owned(owner_id, document_id) is None:
            return False
        return self._session.remove(self._documents, document_id)


def _with_state(stored: Document, document: Document, **more: Any) -> Document:
    """``stored`` with ``document``'s life-cycle fields (status, failure, progress, time) and ``more``."""
    return msgspec.structs.replace(
        stored,
        status=document.status,
        failure_reason=document.failure_reason,
        chunks_done=document.chunks_done,
        chunks_total=document.chunks_total,
        updated_at=document.updated_at,
        **more,
    )
