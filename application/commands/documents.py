"""Document commands and queries: uploads, web pages, indexing, re-indexing, search."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

import msgspec

from application.commands.base import Command, Query
from domain.documents import Document, Passage

if TYPE_CHECKING:  # results named in quotes in the bases below (ruff does not read those: noqa F401)
    from application.use_cases.documents.get_document_file import DocumentFile  # noqa: F401
    from application.use_cases.documents.get_document_text import DocumentText  # noqa: F401
    from application.use_cases.documents.reindex import ReindexProgress, ReindexQueued  # noqa: F401


class UploadDocument(Command[Document], frozen=True, kw_only=True):
    owner_id: uuid.UUID
    filename: str
    content_type: str
    data: bytes
    tags: list[str] = msgspec.field(default_factory=list)
    source_url: str | None = None
    """Set by ``ImportWebPage``: where the bytes were fetched from."""


class ImportWebPage(Command[Document], frozen=True, kw_only=True):
    """Fetches a web page (HTML, or a PDF / text file) by URL and adds it like an upload."""

    owner_id: uuid.UUID
    url: str
    tags: list[str] = msgspec.field(default_factory=list)


class RefetchDocument(Command[Document], frozen=True, kw_only=True):
    """Fetches a document added by URL again; new content is indexed anew, unchanged content left alone."""

    owner_id: uuid.UUID
    document_id: uuid.UUID


class TagDocument(Command[Document], frozen=True, kw_only=True):
    owner_id: uuid.UUID
    document_id: uuid.UUID
    tags: list[str]


class ListDocuments(Query[list[Document]], frozen=True, kw_only=True):
    owner_id: uuid.UUID


class GetDocument(Query[Document], frozen=True, kw_only=True):
    owner_id: uuid.UUID
    document_id: uuid.UUID


class GetDocumentFile(Query["DocumentFile"], frozen=True, kw_only=True):
    """The uploaded file itself, for the owner to view or download."""

    owner_id: uuid.UUID
    document_id: uuid.UUID


class GetDocumentText(Query["DocumentText"], frozen=True, kw_only=True):
    """The document's text as indexed, with its sections, for formats a browser cannot show (Word)."""

    owner_id: uuid.UUID
    document_id: uuid.UUID


class DeleteDocument(Command[None], frozen=True, kw_only=True):
    owner_id: uuid.UUID
    document_id: uuid.UUID


class IndexDocument(Command[Document], frozen=True, kw_only=True):
    """``returns_failure``: a failure to embed is returned as the failed document rather than raised for a job
    runner to try again (the CLI indexes once and reports)."""

    owner_id: uuid.UUID
    document_id: uuid.UUID
    returns_failure: bool = False


class IndexDocuments(Command[list[Document]], frozen=True, kw_only=True):
    """Bulk indexing of several uploaded documents of one owner, pipelined (``ragchat ingest``)."""

    owner_id: uuid.UUID
    document_ids: list[uuid.UUID]


class ReembedDocument(Command[Document], frozen=True, kw_only=True):
    """Re-index one ready document with the current embedder while it stays searchable (``ragchat reindex``,
    the administrator's re-index jobs)."""

    owner_id: uuid.UUID
    document_id: uuid.UUID


class StartReindex(Command["ReindexQueued"], frozen=True, kw_only=True):
    """Queue a ``ReembedDocument`` job for every ready document (of ``user_id`` only, when given)."""

    actor_id: uuid.UUID | None
    user_id: uuid.UUID | None = None


class GetReindexProgress(Command["ReindexProgress"], frozen=True, kw_only=True):
    actor_id: uuid.UUID | None


class SearchPassages(Command[list[Passage]], frozen=True, kw_only=True):
    """Owner-scoped passage search; ``mode`` is "hybrid", "vector" or "keyword" (``SearchMode``)."""

    owner_id: uuid.UUID
    query: str
    k: int = 10
    mode: str = "hybrid"
