from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Protocol

from domain.documents import Document


class DocumentRepository(Protocol):
    """Every read is scoped by owner: a foreign id behaves exactly like a missing one."""

    async def add(self, document: Document) -> None: ...

    async def get(self, owner_id: uuid.UUID, document_id: uuid.UUID) -> Document | None: ...

    async def get_many(self, owner_id: uuid.UUID, document_ids: Sequence[uuid.UUID]) -> list[Document]:
        """The owner's documents among ``document_ids``, in that order, each once; missing and foreign ones left
        out."""
        ...

    async def list(self, owner_id: uuid.UUID) -> list[Document]:
        """Newest first."""
        ...

    async def find_by_sha256(self, owner_id: uuid.UUID, sha256: str) -> Document | None:
        """The owner's oldest document with exactly this content, if any (duplicate uploads)."""
        ...

    async def update(self, document: Document) -> bool:
        """Writes the life-cycle fields and tags; ``False`` (and nothing written) when the document is gone,
        so a long job learns that its document was deleted meanwhile."""
        ...

    async def update_states(self, documents: Sequence[Document]) -> set[uuid.UUID]:
        """Writes the life-cycle fields of several documents in one go (a bulk job's progress), not their tags:
        a tag changed meanwhile stays. Returns the ids written; a document deleted meanwhile is left out."""
        ...

    async def replace_content(self, document: Document) -> bool:
        """Writes new content fields (size, hash, content type) and the life-cycle fields, not tags (a page
        fetched again); ``False`` when the document is gone."""
        ...

    async def delete(self, owner_id: uuid.UUID, document_id: uuid.UUID) -> bool: ...
