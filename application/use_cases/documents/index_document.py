from __future__ import annotations

import logging
from datetime import datetime, timedelta

from application.commands import IndexDocument
from application.ingestion.chunker import ChunkDraft
from application.ports.document_parser import UnreadableDocument
from application.ports.embedder import EmbedderUnavailable
from application.use_cases.documents.document_indexing import DocumentIndexing
from domain.documents import Document
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

    def __init__(self, indexing: DocumentIndexing) -> None:
        self._indexing = indexing

    async def __call__(self, command: IndexDocument) -> Document:
        document = await self._indexing.documents.get(command.owner_id, command.document_id)
        if document is None:
            raise NotFound("document not found")
        try:
            return await self._index(document, command.returns_failure)
        except _Deleted:
            log.info("document deleted while indexing; stopped", extra={"document_id": str(document.id)})
            return document

    async def _index(self, document: Document, returns_failure: bool) -> Document:
        indexing = self._indexing
        document.start_indexing(indexing.clock.now())
        await self._save(document)
        try:
            drafts = await indexing.read(document)
        except (UnreadableDocument, NotFound) as exc:
            return await self._fail(document, exc.message)
        try:
            vectors = await self._embed(document, drafts)
        except EmbedderUnavailable as exc:
            failed = await self._fail(document, f"{exc.message}; re-index the document to try again")
            if returns_failure:
                return failed
            raise
        await indexing.write_chunks(document, drafts, vectors)
        document.mark_ready(len(drafts), indexing.clock.now())
        await self._save(document)
        log.info("document indexed", extra={"document_id": str(document.id), "chunks": len(drafts)})
        return document

    async def _embed(self, document: Document, drafts: list[ChunkDraft]) -> list[list[float]]:
        clock, total = self._indexing.clock, len(drafts)
        interval = timedelta(seconds=self._indexing.policy.progress_interval_seconds)
        last: datetime | None = None

        async def committed(done: int) -> None:
            nonlocal last
            now = clock.now()
            if last is not None and now - last < interval and done < total:
                return  # the last batch's progress is committed with the chunks (mark_ready)
            last = now
            document.report_progress(done, total, now)
            await self._save(document)

        await committed(0)
        return await self._indexing.embed_in_batches(document, drafts, committed)

    async def _fail(self, document: Document, reason: str) -> Document:
        log.info("document not indexed", extra={"document_id": str(document.id), "reason": reason})
        await self._indexing.chunks.delete_document(document.owner_id, document.id)
        document.mark_failed(reason, self._indexing.clock.now())
        await self._save(document)
        return document

    async def _save(self, document: Document) -> None:
        """Commits the document's progress, or, when it was deleted meanwhile, drops what this step wrote
        (chunks included) and stops the job: the next batch is never embedded."""
        if not await self._indexing.save(document):
            raise _Deleted


class _Deleted(Exception):
    pass
