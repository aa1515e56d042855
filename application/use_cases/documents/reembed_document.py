"""Re-index a ready document with the current embedder, online: it stays ``ready`` and searchable (on its old
vectors) until its new chunks replace the old ones in one commit."""

from __future__ import annotations

import logging

from application.commands import ReembedDocument
from application.use_cases.documents.document_indexing import DocumentIndexing
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

    def __init__(self, indexing: DocumentIndexing) -> None:
        self._indexing = indexing

    async def __call__(self, command: ReembedDocument) -> Document:
        indexing = self._indexing
        document = await indexing.documents.get(command.owner_id, command.document_id)
        if document is None:
            raise NotFound("document not found")
        if document.status is not DocumentStatus.READY:
            return document
        drafts = await indexing.read(document)
        vectors = await indexing.embed_in_batches(document, drafts)
        await indexing.write_chunks(document, drafts, vectors)
        document.mark_reembedded(len(drafts), indexing.clock.now())
        if await indexing.save(document):
            log.info("document re-embedded", extra={"document_id": str(document.id), "chunks": len(drafts)})
        return document
