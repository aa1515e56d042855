"""Uploaded documents and their indexing life cycle."""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from enum import StrEnum

import msgspec

from domain.errors import InvalidInput, InvalidTransition

MAX_TAGS = 20
MAX_TAG_LENGTH = 40
_TAG = re.compile(r"[\w][\w .+#-]*", re.UNICODE)


class DocumentStatus(StrEnum):
    PENDING = "pending"
    INDEXING = "indexing"
    READY = "ready"
    FAILED = "failed"


# pending -> indexing -> ready | failed; ready/failed -> indexing again on re-index;
# indexing -> indexing lets a new worker take over a document whose worker died.
_ALLOWED: dict[DocumentStatus, frozenset[DocumentStatus]] = {
    DocumentStatus.PENDING: frozenset({DocumentStatus.INDEXING, DocumentStatus.FAILED}),
    DocumentStatus.INDEXING: frozenset(
        {DocumentStatus.INDEXING, DocumentStatus.READY, DocumentStatus.FAILED, DocumentStatus.PENDING}
    ),
    DocumentStatus.READY: frozenset({DocumentStatus.INDEXING, DocumentStatus.PENDING}),
    DocumentStatus.FAILED: frozenset({DocumentStatus.INDEXING, DocumentStatus.PENDING}),
}


class Document(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    owner_id: uuid.UUID
    filename: str
    content_type: str
    size_bytes: int
    sha256: str
    blob_key: str
    status: DocumentStatus
    created_at: datetime
    updated_at: datetime
    failure_reason: str | None = None
    chunks_done: int = 0
    chunks_total: int = 0
    tags: list[str] = msgspec.field(default_factory=list)
    """Labels the owner gives documents so a chat can be limited to many of them at once."""
    source_url: str | None = None
    """The web address a document added by URL was fetched from (and is fetched again from on request)."""

    def replace_content(self, size_bytes: int, sha256: str, content_type: str, now: datetime) -> None:
        """New bytes under the same document (a web page fetched again): it waits to be indexed anew."""
        self.size_bytes = size_bytes
        self.sha256 = sha256
        self.content_type = content_type
        self.requeue(now)
        self.chunks_done = self.chunks_total = 0

    def retag(self, tags: list[str], now: datetime) -> None:
        self.tags = clean_tags(tags)
        self.updated_at = now

    def _move(self, to: DocumentStatus, now: datetime) -> None:
        if to not in _ALLOWED[self.status]:
            raise InvalidTransition(f"document cannot go from {self.status} to {to}")
        self.status = to
        self.updated_at = now

    def requeue(self, now: datetime) -> None:
        self._move(DocumentStatus.PENDING, now)
        self.failure_reason = None

    def start_indexing(self, now: datetime) -> None:
        self._move(DocumentStatus.INDEXING, now)
        self.failure_reason = None
        self.chunks_done = 0
        self.chunks_total = 0

    def report_progress(self, done: int, total: int, now: datetime) -> None:
        self.chunks_done = done
        self.chunks_total = total
        self.updated_at = now

    def mark_ready(self, chunk_count: int, now: datetime) -> None:
        self._move(DocumentStatus.READY, now)
        self.chunks_done = self.chunks_total = chunk_count

    def mark_reembedded(self, chunk_count: int, now: datetime) -> None:
        """A ready document's chunks were replaced by freshly embedded ones; it never stopped being ready."""
        if self.status is not DocumentStatus.READY:
            raise InvalidTransition(f"only a ready document is re-embedded in place, not a {self.status} one")
        self.chunks_done = self.chunks_total = chunk_count
        self.updated_at = now

    def mark_failed(self, reason: str, now: datetime) -> None:
        self._move(DocumentStatus.FAILED, now)
        self.failure_reason = reason[:500]

    @property
    def progress(self) -> float:
        if self.status is DocumentStatus.READY:
            return 1.0
        return self.chunks_done / self.chunks_total if self.chunks_total else 0.0


class Chunk(msgspec.Struct, kw_only=True):
    """One indexed passage; the offsets and page/heading let a citation point at the exact text."""

    id: uuid.UUID
    document_id: uuid.UUID
    owner_id: uuid.UUID
    ordinal: int
    text: str
    char_start: int
    char_end: int
    page: int | None = None
    heading_path: list[str] = msgspec.field(default_factory=list)
    embedding: list[float] | None = None


class Passage(msgspec.Struct, kw_only=True, frozen=True):
    """A search hit: a chunk's text with where it came from and how well it matched."""

    chunk_id: uuid.UUID
    document_id: uuid.UUID
    filename: str
    ordinal: int
    text: str
    score: float
    page: int | None = None
    heading_path: list[str] = msgspec.field(default_factory=list)
    char_start: int = 0
    char_end: int = 0
    similarity: float | None = None
    """Cosine similarity to the query when the vector search found it (``score`` is a fused rank in hybrid
    mode): an absolute measure, which the relevance floor compares against."""


def clean_tags(raw: list[str]) -> list[str]:
    """Trimmed, lower-cased, unique, in the order given; each 1 to 40 word characters (spaces, ``.+#-`` inside)."""
    tags: list[str] = []
    for value in raw:
        tag = " ".join(value.split()).lower()
        if not tag or len(tag) > MAX_TAG_LENGTH or not _TAG.fullmatch(tag):
            raise InvalidInput(f"a tag is 1 to {MAX_TAG_LENGTH} letters, digits, spaces or .+#- ", field="tags")
        if tag not in tags:
            tags.append(tag)
    if len(tags) > MAX_TAGS:
        raise InvalidInput(f"at most {MAX_TAGS} tags", field="tags")
    return tags


class DocumentScope(msgspec.Struct, frozen=True, kw_only=True):
    """Which of the owner's documents a search may return: the listed ones plus every document carrying one of
    the tags. Empty means all of them (a chat's default). Ids of deleted or foreign documents simply match
    nothing, so a scope never needs repairing when documents go away."""

    document_ids: tuple[uuid.UUID, ...] = ()
    tags: tuple[str, ...] = ()

    @property
    def everything(self) -> bool:
        return not self.document_ids and not self.tags

    def admits(self, document: Document) -> bool:
        return self.everything or document.id in self.document_ids or any(t in self.tags for t in document.tags)
