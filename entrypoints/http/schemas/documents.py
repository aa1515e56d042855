from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

import msgspec

from domain.documents import Document, DocumentStatus
from domain.text import SINGLE_LINE_PATTERN


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
    source_url: str | None
    """The web address of a document added by URL (``POST /documents/url``); null for uploads."""

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
            source_url=d.source_url,
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


class ImportWebPageRequest(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    url: Annotated[str, msgspec.Meta(min_length=1, max_length=2048, pattern=SINGLE_LINE_PATTERN,
                                     description="an http:// or https:// address of a public web page")]
    tags: list[str] = msgspec.field(default_factory=list)
