from __future__ import annotations

from typing import Protocol

import msgspec

from domain.errors import DomainError


class UnreadableDocument(DomainError):
    """The file cannot be turned into text (encrypted, corrupt, empty, over a safety limit).

    The message is shown to the owner as the document's failure reason, so it says plainly what is wrong.
    """

    code = "unreadable_document"


class TextSpan(msgspec.Struct, frozen=True, kw_only=True):
    """A stretch of the extracted text that shares one page and one heading path."""

    start: int
    end: int
    page: int | None = None
    heading_path: tuple[str, ...] = ()


class ParsedDocument(msgspec.Struct, frozen=True, kw_only=True):
    """The document's plain text plus where each part came from; spans are ordered and do not overlap.

    Character offsets everywhere downstream (chunks, citations) point into ``text``.
    """

    text: str
    spans: list[TextSpan]


class DocumentParser(Protocol):
    async def parse(self, data: bytes, content_type: str) -> ParsedDocument:
        """Raises ``UnreadableDocument``; never hangs (page, size and archive limits apply)."""
        ...
