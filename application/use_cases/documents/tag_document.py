from __future__ import annotations

from application.commands import TagDocument
from application.ports.clock import Clock
from application.ports.document_repository import DocumentRepository
from application.ports.unit_of_work import UnitOfWork
from domain.documents import Document
from domain.errors import NotFound


class TagDocumentHandler:
    """Replaces a document's tags. Raises ``NotFound`` (missing or foreign) and ``InvalidInput`` (bad tags)."""

    def __init__(self, documents: DocumentRepository, clock: Clock, uow: UnitOfWork) -> None:
        self._documents = documents
        self._clock = clock
        self._uow = uow

    async def __call__(self, command: TagDocument) -> Document:
        document = await self._documents.get(command.owner_id, command.document_id)
        if document is None:
            raise NotFound("document not found")
        document.retag(command.tags, self._clock.now())
        if not await self._documents.update(document):
            raise NotFound("document not found")  # deleted meanwhile
        await self._uow.commit()
        return document
