"""What the indexing use cases share (``IndexDocument``, ``IndexDocuments``, ``ReembedDocument``): the ports they
all need, reading a stored file into chunk drafts, embedding, and writing a document's chunks together with its
new state in one commit. Written once so the three cannot drift apart (how a file is read, how a chunk is
built, what a document deleted meanwhile means)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable, Sequence

from application.ingestion.chunker import ChunkDraft, chunk_document
from application.ingestion.policy import IndexingPolicy
from application.ports.blob_store import BlobStore
from application.ports.chunk_index import ChunkIndex
from application.ports.clock import Clock
from application.ports.document_parser import DocumentParser, UnreadableDocument
from application.ports.document_repository import DocumentRepository
from application.ports.embedder import Embedder
from application.ports.tokenizer import Tokenizer
from application.ports.unit_of_work import UnitOfWork
from domain.documents import Chunk, Document


class DocumentIndexing:
    """The steps, not the order: each use case decides when to save and what a failure means."""

    def __init__(
        self,
        documents: DocumentRepository,
        blobs: BlobStore,
        parser: DocumentParser,
        tokenizer: Tokenizer,
        embedder: Embedder,
        chunks: ChunkIndex,
        clock: Clock,
        uow: UnitOfWork,
        policy: IndexingPolicy,
    ) -> None:
        self.documents = documents
        self.chunks = chunks
        self.clock = clock
        self.policy = policy
        self._blobs, self._parser, self._tokenizer = blobs, parser, tokenizer
        self._embedder, self._uow = embedder, uow

    async def read(self, document: Document) -> list[ChunkDraft]:
        """The document's chunk drafts, at least one. Raises ``UnreadableDocument`` (no text included) and
        ``NotFound`` (the stored file is gone)."""
        data = await self._blobs.get(document.blob_key)
        parsed = await self._parser.parse(data, document.content_type)
        # Tokenizing megabytes of text takes seconds of CPU: a worker thread, not the event loop.
        drafts = await asyncio.to_thread(chunk_document, parsed, self._tokenizer, self.policy)
        if not drafts:
            raise UnreadableDocument("the document contains no text")
        return drafts

    async def embed(self, drafts: Sequence[ChunkDraft], owner_id: uuid.UUID | None) -> list[list[float]]:
        """One call to the embedder, the drafts sent fewest tokens first (a model pads each of its batches to
        the longest text in it, so neighbours of about the same length waste least); the vectors come back in
        the drafts' order. Raises ``EmbedderUnavailable``."""
        order = sorted(range(len(drafts)), key=lambda index: drafts[index].tokens)
        sent = await self._embedder.embed_documents(
            [drafts[index].embedding_input for index in order], owner_id=owner_id
        )
        vectors: list[list[float]] = [[] for _ in drafts]
        for index, vector in zip(order, sent, strict=True):
            vectors[index] = vector
        return vectors

    async def embed_in_batches(
        self,
        document: Document,
        drafts: Sequence[ChunkDraft],
        after_batch: Callable[[int], Awaitable[None]] | None = None,
    ) -> list[list[float]]:
        """One document's vectors, ``policy.embed_batch_size`` drafts a call; ``after_batch`` is told how many
        are done after each call. Raises ``EmbedderUnavailable``."""
        vectors: list[list[float]] = []
        size = self.policy.embed_batch_size
        for start in range(0, len(drafts), size):
            vectors += await self.embed(drafts[start : start + size], document.owner_id)
            if after_batch is not None:
                await after_batch(len(vectors))
        return vectors

    async def write_chunks(
        self, document: Document, drafts: Sequence[ChunkDraft], vectors: Sequence[list[float]]
    ) -> None:
        """Replaces the document's chunks (not yet committed: ``save`` does)."""
        await self.chunks.replace_document_chunks(document.owner_id, document.id, chunks_of(document, drafts, vectors))

    async def commit(self) -> None:
        await self._uow.commit()

    async def rollback(self) -> None:
        await self._uow.rollback()

    async def save(self, document: Document) -> bool:
        """Commits the document's state (its life-cycle fields: a tag set meanwhile stays) with everything
        written since the last save; ``False`` when it was deleted meanwhile, and then what was written for it
        (its chunks included) is rolled back."""
        if document.id not in await self.documents.update_states([document]):
            await self._uow.rollback()
            return False
        await self._uow.commit()
        return True


def chunks_of(document: Document, drafts: Sequence[ChunkDraft], vectors: Sequence[list[float]]) -> list[Chunk]:
    """The chunks to store: each draft with its vector, in order."""
    return [
        Chunk(
            id=uuid.uuid4(),
            document_id=document.id,
            owner_id=document.owner_id,
            ordinal=draft.ordinal,
            text=draft.text,
            char_start=draft.char_start,
            char_end=draft.char_end,
            page=draft.page,
            heading_path=list(draft.heading_path),
            embedding=vector,
        )
        for draft, vector in zip(drafts, vectors, strict=True)
    ]
