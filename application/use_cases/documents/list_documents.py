from __future__ import annotations

from application.commands import ListDocuments
from application.ports.document_repository import DocumentRepository
from domain.documents import Document


class ListDocumentsHandler:
    def __init__(self, documents: DocumentRepository) -> None:
        self._documents = documents

    async def __call__(self, command: ListDocuments) -> list[Document]:
        return await self._documents.list(command.owner_id)
