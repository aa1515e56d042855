"""Re-index a ready document with the current embedder, online: it stays ``ready`` and searchable (on its old
vectors) until its new chunks replace the old ones in one commit."""

from __future__ import annotations

import asyncio
import logging

from application.commands import ReembedDocument
from application.ingestion.chunker import chunk_document
from application.ingestion.policy import IndexingPolicy
from application.ports.blob_store import BlobStore
from application.ports.chunk_index import ChunkIndex
from application.ports.clock import Clock
from application.ports.document_parser import DocumentParser, UnreadableDocument
from application.ports.document_repository import DocumentRepository
from application.ports.embedder import Embedder
from application.ports.tokenizer import Tokenizer
from application.ports.unit_of_work import UnitOfWork
from application.use_cases.documents.index_document import chunks_of
from domain.documents import Document, DocumentStatus
from domain.errors import NotFound

log = logging.getLogger(__name__)


class ReembedDocumentHandler:
    """Parses, chunks (with the current embedder's tokenizer) and embeds the stored file again, then swaps the
    chunks in and records their count in one commit. A document that is not ``ready`` is returned unchanged
    (pending and indexing ones are being indexed with the current embedder already; a failed one needs a
    retry, not a re-index). Raises ``NotFound`` (missing or foreign), ``UnreadableDocument`` (the file no
    longer parses: the old chunks stay) and ``EmbedderUnavailable`` (nothing changed; safe to run again).
    A document deleted meanwhile is dropped with what was written for it."""

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
        self._documents, self._blobs, self._parser, self._tokenizer = documents, blobs, parser, tokenizer
        self._embedder, self._chunks, self._clock, self._uow, self._policy = embedder, chunks, clock, uow, policy

    async def __call__(self, command: ReembedDocument) -> Document:
        document = await self._documents.get(command.owner_id, command.document_id)
        if document is None:
            raise NotFound("document not found")
        if document.status is not DocumentStatus.READY:
            return document
        data = await self._blobs.get(document.blob_key)
        parsed = await self._parser.parse(data, document.content_type)
        drafts = await asyncio.to_thread(chunk_document, parsed, self._tokenizer, self._policy)
        if not drafts:
            raise UnreadableDocument("the document contains no text")
        vectors: list[list[float]] = []
        size = self._policy.embed_batch_size
        for start in range(0, len(drafts), size):
            texts = [draft.embedding_input for draft in drafts[start : start + size]]
            vectors += await self._embedder.embed_documents(texts, owner_id=document.owner_id)
        await self._chunks.replace_document_chunks(document.owner_id, document.id, chunks_of(document, drafts, vectors))
        document.mark_reembedded(len(drafts), self._clock.now())
        if not await self._documents.update(document):
            await self._uow.rollback()
            return document
        await self._uow.commit()
        log.info("document re-embedded", extra={"document_id": str(document.id), "chunks": len(drafts)})
        return document
