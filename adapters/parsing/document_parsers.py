from __future__ import annotations

import asyncio
import logging

import msgspec

from adapters.parsing.docx_parser import parse_docx
from adapters.parsing.html_parser import parse_html
from adapters.parsing.markdown_parser import parse_markdown
from adapters.parsing.pdf_parser import parse_pdf
from adapters.parsing.plain_text_parser import parse_plain_text
from application.ports.document_parser import ParsedDocument, UnreadableDocument
from domain.document_types import DocumentType

log = logging.getLogger(__name__)


class ParserLimits(msgspec.Struct, frozen=True, kw_only=True):
    """Bounds that keep one hostile file from tying up a worker."""

    max_pdf_pages: int = 2_000
    max_docx_uncompressed_bytes: int = 200 * 1024 * 1024
    max_text_chars: int = 20_000_000
    timeout_seconds: float = 300.0


class DocumentParsers:
    """The ``DocumentParser`` for every supported type.

    ``parse_sync`` is what a parser process runs (``parse_worker.py``); any vendor exception becomes
    ``UnreadableDocument``. ``parse`` runs it in a thread of this process, for tests and tools reading trusted
    files: a thread cannot be stopped, so the service parses through ``ParserProcessPool`` instead.
    """

    def __init__(self, limits: ParserLimits | None = None) -> None:
        self._limits = limits or ParserLimits()

    async def parse(self, data: bytes, content_type: str) -> ParsedDocument:
        if not data:
            raise UnreadableDocument("the file is empty")
        try:
            return await asyncio.wait_for(
                asyncio.to_thread(self.parse_sync, data, content_type), self._limits.timeout_seconds
            )
        except TimeoutError:
            raise UnreadableDocument(
                f"reading the file took longer than {self._limits.timeout_seconds:g} seconds"
            ) from None

    def parse_sync(self, data: bytes, content_type: str) -> ParsedDocument:
        limits = self._limits
        try:
            kind = DocumentType(content_type.split(";")[0].strip().lower())
        except ValueError:
            raise UnreadableDocument(f"files of type {content_type!r} cannot be indexed") from None
        try:
            match kind:
                case DocumentType.PDF:
                    return parse_pdf(data, limits.max_text_chars, limits.max_pdf_pages)
                case DocumentType.DOCX:
                    return parse_docx(data, limits.max_text_chars, limits.max_docx_uncompressed_bytes)
                case DocumentType.MARKDOWN:
                    return parse_markdown(data, limits.max_text_chars)
                case DocumentType.HTML:
                    return parse_html(data, limits.max_text_chars)
                case DocumentType.TEXT:
                    return parse_plain_text(data, limits.max_text_chars)
        except (UnreadableDocument, MemoryError):
            raise
        except Exception as exc:  # vendor parsers raise anything on hostile input; none of it may escape
            log.warning("parser failed", extra={"content_type": content_type, "error": repr(exc)})
            reason = "the file is damaged or in an unexpected format and could not be read"
            raise UnreadableDocument(reason) from exc
        raise UnreadableDocument(f"files of type {content_type!r} cannot be indexed")  # pragma: no cover
