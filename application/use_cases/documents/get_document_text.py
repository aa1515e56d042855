from __future__ import annotations

import msgspec

from application.commands import GetDocumentText
from application.ports.chunk_index import ChunkIndex
from application.ports.document_repository import DocumentRepository
from domain.documents import Chunk, Document
from domain.errors import NotFound


class TextSection(msgspec.Struct, kw_only=True, frozen=True):
    """A stretch of the text under one heading path (``start``/``end`` index ``DocumentText.text``)."""

    start: int
    end: int
    heading_path: list[str]
    page: int | None = None


class DocumentText(msgspec.Struct, kw_only=True, frozen=True):
    document: Document
    text: str
    """The extracted text at its original offsets, so a citation's ``char_start``/``char_end`` index it."""
    sections: list[TextSection]


class GetDocumentTextHandler:
    """Rebuilds the extracted text from the indexed chunks (they overlap and cover every word; what lies between
    two sections is the blank line that separated them), so showing a Word document needs no second parse.

    Raises ``NotFound`` for a missing or foreign document. A document not indexed yet has no text.
    """

    def __init__(self, documents: DocumentRepository, chunks: ChunkIndex) -> None:
        self._documents = documents
        self._chunks = chunks

    async def __call__(self, command: GetDocumentText) -> DocumentText:
        document = await self._documents.get(command.owner_id, command.document_id)
        if document is None:
            raise NotFound("document not found")
        chunks = await self._chunks.document_chunks(command.owner_id, command.document_id)
        return DocumentText(document=document, text=_text(chunks), sections=_sections(chunks))


def _text(chunks: list[Chunk]) -> str:
    parts: list[str] = []
    covered = 0
    for chunk in sorted(chunks, key=lambda c: c.char_start):
        if chunk.char_start > covered:
            gap = chunk.char_start - covered
            parts.append("\n" * gap if gap >= 2 else " ")
        if chunk.char_end > covered:
            parts.append(chunk.text[max(0, covered - chunk.char_start) :])
            covered = chunk.char_end
    return "".join(parts)


def _sections(chunks: list[Chunk]) -> list[TextSection]:
    sections: list[TextSection] = []
    for chunk in sorted(chunks, key=lambda c: c.char_start):
        last = sections[-1] if sections else None
        if last is not None and last.heading_path == chunk.heading_path:
            sections[-1] = TextSection(
                start=last.start, end=max(last.end, chunk.char_end), heading_path=last.heading_path, page=last.page
            )
        else:
            start = max(chunk.char_start, last.end) if last is not None else chunk.char_start
            sections.append(
                TextSection(start=start, end=chunk.char_end, heading_path=list(chunk.heading_path), page=chunk.page)
            )
    return sections
