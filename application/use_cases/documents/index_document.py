from __future__ import annotations

import asyncio
import logging
import uuid

from application.commands import IndexDocument
from application.ingestion.chunker import ChunkDraft, chunk_document
from application.ingestion.policy import IndexingPolicy
from application.ports.blob_store import BlobStore
from application.ports.chunk_index import ChunkIndex
from application.ports.clock import Clock
from application.ports.document_parser import DocumentParser, UnreadableDocument
from application.ports.document_repository import DocumentRepository
from application.ports.embedder import Embedder, EmbedderUnavailable
from application.ports.tokenizer import Tokenizer
from application.ports.unit_of_work import UnitOfWork
from domain.documents import Chunk, Document
from domain.errors import NotFound

log = logging.getLogger(__name__)


class IndexDocumentHandler:
    """Parses, chunks and embeds a document, then swaps its chunks in and marks it ``ready`` in one commit.

    A file that cannot be read (encrypted, damaged, empty, over a limit) or has gone missing ends ``failed``
    with the reason; nothing of it is searchable. Progress (chunks embedded / total) is committed after every
    embedding batch so ``GET /documents/{id}`` shows it; a document deleted meanwhile stops the job there.
    Running twice is harmless: the second run replaces the chunks of the first. Raises ``NotFound`` for a
    missing or foreign document, and ``EmbedderUnavailable`` (after marking the document failed) so a
    retrying job runner can try again, unless the command ``returns_failure``.
    """

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
        self._documents = documents
        self._blobs = blobs
        self._parser = parser
        self._tokenizer = tokenizer
        self._embedder = embedder
        self._chunks = chunks
        self._clock = clock
        self._uow = uow
        self._policy = policy

    async def __call__(self, command: IndexDocument) -> Document:
        document = await self._documents.get(command.owner_id, command.document_id)
        if document is None:
            raise NotFound("document not found")
        try:
            return await self._index(document, command.returns_failure)
        except _Deleted:
            log.info("document deleted while indexing; stopped", extra={"document_id": str(document.id)})
            return document

    async def _index(self, document: Document, returns_failure: bool) -> Document:
        document.start_indexing(self._clock.now())
        await self._save(document)
        try:
            drafts = await self._read(document)
        except (UnreadableDocument, NotFound) as exc:
            return await self._fail(document, exc.message)
        try:
            vectors = await self._embed(document, drafts)
        except EmbedderUnavailable as exc:
            failed = await self._fail(document, f"{exc.message}; re-index the document to try again")
            if returns_failure:
                return failed
            raise
        chunks = chunks_of(document, drafts, vectors)
        await self._chunks.replace_document_chunks(document.owner_id, document.id, chunks)
        document.mark_ready(len(drafts), self._clock.now())
        await self._save(document)
        log.info("document indexed", extra={"document_id": str(document.id), "chunks": len(drafts)})
        return document

    async def _read(self, document: Document) -> list[ChunkDraft]:
        data = await self._blobs.get(document.blob_key)
        parsed = await self._parser.parse(data, document.content_type)
        # Tokenizing megabytes of text takes seconds of CPU: a worker thread, not the event loop.
        drafts = await asyncio.to_thread(chunk_document, parsed, self._tokenizer, self._policy)
        if not drafts:
            raise UnreadableDocument("the document contains no text")
        return drafts

    async def _embed(self, document: Document, drafts: list[ChunkDraft]) -> list[list[float]]:
        total, size = len(drafts), self._policy.embed_batch_size
        document.report_progress(0, total, self._clock.now())
        await self._save(document)
        vectors: list[list[float]] = []
        for start in range(0, total, size):
            batch = drafts[start : start + size]
            texts = [draft.embedding_input for draft in batch]
            vectors.extend(await self._embedder.embed_documents(texts, owner_id=document.owner_id))
            document.report_progress(len(vectors), total, self._clock.now())
            await self._save(document)
        return vectors

    async def _fail(self, document: Document, reason: str) -> Document:
        log.info("document not indexed", extra={"document_id": str(document.id), "reason": reason})
        await self._chunks.delete_document(document.owner_id, document.id)
        document.mark_failed(reason, self._clock.now())
        await self._save(document)
        return document

    async def _save(self, document: Document) -> None:
        """Commits the document's progress, or, when it was deleted meanwhile, drops what this step wrote
        (chunks included) and stops the job: the next batch is never embedded."""
        if not await self._documents.update(document):
            await self._uow.rollback()
            raise _Deleted
        await self._uow.commit()


class _Deleted(Exception):
    pass


def chunks_of(document: Document, drafts: list[ChunkDraft], vectors: list[list[float]]) -> list[Chunk]:
    """The chunks to store: each draft with its vector, in order."""
    return [
        Chunk(
            id=uuid.uuid4(), document_id=document.id, owner_id=document.owner_id, ordinal=draft.ordinal,
            text=draft.text, char_start=draft.char_start, char_end=draft.char_end, page=draft.page,
            heading_path=list(draft.heading_path), embedding=vector,
        )
        for draft, vector in zip(drafts, vectors, strict=True)
    ]
