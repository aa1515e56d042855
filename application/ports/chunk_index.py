from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from enum import StrEnum
from typing import Protocol

from domain.documents import Chunk, DocumentScope, Passage


class SearchMode(StrEnum):
    HYBRID = "hybrid"
    """Vector and keyword rankings fused with reciprocal rank fusion: the default for answers."""
    VECTOR = "vector"
    KEYWORD = "keyword"


class ChunkIndex(Protocol):
    """The searchable passages of every document. Searches see only the owner's *ready* documents, within
    ``scope`` when one is given (enforced in the query itself, in every mode), and never return two passages
    with identical text (copies of the same text in several documents count once, at the best rank)."""

    async def replace_document_chunks(
        self, owner_id: uuid.UUID, document_id: uuid.UUID, chunks: Sequence[Chunk]
    ) -> None:
        """Swaps the document's chunks for ``chunks`` (each with its embedding) within the current unit of
        work, so readers see either the old set or the new one, never a mix."""
        ...

    async def replace_chunks_of_documents(
        self, owner_id: uuid.UUID, chunks_by_document: Mapping[uuid.UUID, Sequence[Chunk]]
    ) -> None:
        """``replace_document_chunks`` for several documents of one owner at once (an empty list removes a
        document's chunks): a bulk load writes a few documents per statement and commit instead of one.
        Raises ``NotFound`` when any of them is missing or foreign; the caller rolls back."""
        ...

    async def delete_document(self, owner_id: uuid.UUID, document_id: uuid.UUID) -> None: ...

    async def document_chunks(self, owner_id: uuid.UUID, document_id: uuid.UUID) -> list[Chunk]:
        """The document's chunks in order, without embeddings (empty for another owner's document): its text as
        indexed, for a reader that has no renderer for the original file."""
        ...

    async def search(
        self,
        owner_id: uuid.UUID,
        query_text: str,
        query_vector: Sequence[float] | None,
        k: int,
        mode: SearchMode = SearchMode.HYBRID,
        scope: DocumentScope | None = None,
    ) -> list[Passage]:
        """Best first. ``query_vector`` may be None only for ``KEYWORD`` mode. ``scope`` None (or empty): all."""
        ...
