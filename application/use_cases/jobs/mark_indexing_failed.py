from __future__ import annotations

import logging

from application.commands import MarkIndexingFailed
from application.ports.clock import Clock
from application.ports.document_repository import DocumentRepository
from application.ports.unit_of_work import UnitOfWork
from domain.documents import DocumentStatus

log = logging.getLogger(__name__)


class MarkIndexingFailedHandler:
    """The job runner gave up on a document: it shows ``failed`` with the reason instead of spinning in
    ``indexing`` forever. A document that got further meanwhile (``ready``, already ``failed``) or was
    deleted is left as it is, so this is safe to run twice."""

    def __init__(self, documents: DocumentRepository, clock: Clock, uow: UnitOfWork) -> None:
        self._documents = documents
        self._clock = clock
        self._uow = uow

    async def __call__(self, command: MarkIndexingFailed) -> bool:
        document = await self._documents.get(command.owner_id, command.document_id)
        if document is None or document.status not in (DocumentStatus.PENDING, DocumentStatus.INDEXING):
            return False
        document.mark_failed(command.reason, self._clock.now())
        await self._documents.update(document)
        await self._uow.commit()
        log.warning("indexing gave up", extra={"document_id": str(document.id), "reason": command.reason})
        return True
