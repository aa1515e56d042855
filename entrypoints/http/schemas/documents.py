from __future__ import annotations

import uuid
from datetime import datetime

import msgspec

from domain.documents import Document, DocumentStatus


class DocumentOut(msgspec.Struct, frozen=True):
    id: uuid.UUID
    filename: str
    status: DocumentStatus
    failure_reason: str | None
    progress: float
    chunks_done: int
    chunks_total: int
    size_bytes: int
    content_type: str
    created_at: datetime
    updated_at: datetime
    tags: list[str]

    @classmethod
    def of(cls, d: Document) -> DocumentOut:
        return cls(
            id=d.id,
            filename=d.filename,
            status=d.status,
            failure_reason=d.failure_reason,
            progress=round(d.progress, 4),
            chunks_done=d.chunks_done,
            chunks_total=d.chunks_total,
            size_bytes=d.size_bytes,
            content_type=d.content_type,
            created_at=d.created_at,
            updated_at=d.updated_at,
            tags=list(d.tags),
        )


class DocumentList(msgspec.Struct, frozen=True):
    items: list[DocumentOut]


class UpdateDocumentRequest(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    tags: list[str]
    """Replaces the document's tags (trimmed, lower-cased; at most 20 of at most 40 characters)."""


class TextSectionOut(msgspec.Struct, frozen=True):
    start: int
    end: int
    heading_path: list[str]
    page: int | None


class DocumentTextOut(msgspec.Struct, frozen=True):
    """The document's extracted text as indexed (what citations' ``char_start``/``char_end`` index), in sections
    that each share one heading path; empty until the document is indexed."""

    id: uuid.UUID
    filename: str
    text: str
    sections: list[TextSectionOut]
