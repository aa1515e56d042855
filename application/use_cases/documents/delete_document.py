from __future__ import annotations

import logging

from application.commands import DeleteDocument
from application.ports.blob_store import BlobStore
from application.ports.chunk_index import ChunkIndex
from application.ports.document_repository import DocumentRepository
from application.ports.unit_of_work import UnitOfWork
from domain.errors import NotFound

log = logging.getLogger(__name__)


class DeleteDocumentHandler:
    """Deletes a document, its chunks (with the row) and its file. Raises ``NotFound`` (missing or foreign).

    The row goes first: once it is gone nothing can cite the document, and a leftover file is harmless
    (it is logged) whereas a row without its file would fail to re-index.
    """

    def __init__(
        self, documents: DocumentRepository, blobs: BlobStore, uow: UnitOfWork, chunks: ChunkIndex
    ) -> None:
        self._documents = documents
        self._blobs = blobs
        self._uow = uow
        self._chunks = chunks

    async def __call__(self, command: DeleteDocument) -> None:
        document = await self._documents.get(command.owner_id, command.document_id)
        if document is None:
            raise NotFound("document not found")
        await self._chunks.delete_document(command.owner_id, command.document_id)
        await self._documents.delete(command.owner_id, command.document_id)
        await self._uow.commit()
        try:
            await self._blobs.delete(document.blob_key)
        except Exception:
            log.exception("orphaned blob left behind", extra={"blob_key": document.blob_key})
