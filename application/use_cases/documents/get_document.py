from __future__ import annotations

from application.commands import GetDocument
from application.ports.document_repository import DocumentRepository
from domain.documents import Document
from domain.errors import NotFound


class GetDocumentHandler:
    """Raises ``NotFound`` for a missing *or foreign* document."""

    def __init__(self, documents: DocumentRepository) -> None:
        self._documents = documents

    async def __call__(self, command: GetDocument) -> Document:
        document = await self._documents.get(command.owner_id, command.document_id)
        if document is None:
            raise NotFound("document not found")
        return document
