from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

from application.commands import GetDocumentFile
from application.ports.blob_store import BlobStore
from application.ports.document_repository import DocumentRepository
from domain.documents import Document
from domain.errors import NotFound


@dataclass(frozen=True)
class DocumentFile:
    """A document and its stored bytes, read piece by piece as the response is sent."""

    document: Document
    content: AsyncIterator[bytes]


class GetDocumentFileHandler:
    """Raises ``NotFound`` for a missing or *foreign* document (another owner's id reads as unknown) and for a
    document whose stored file is gone."""

    def __init__(self, documents: DocumentRepository, blobs: BlobStore) -> None:
        self._documents = documents
        self._blobs = blobs

    async def __call__(self, command: GetDocumentFile) -> DocumentFile:
        document = await self._documents.get(command.owner_id, command.document_id)
        if document is None:
            raise NotFound("document not found")
        return DocumentFile(document=document, content=await self._blobs.open(document.blob_key))
