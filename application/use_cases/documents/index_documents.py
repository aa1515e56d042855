"""Bulk indexing (``ragchat ingest``, ``ragchat eval``): many documents through one pipeline.

Indexing document by document embeds each one's chunks in its own calls, so every document ends with a small
batch and the model can only sort texts by length within one call (padding to the longest text of a batch is
most of the cost of a transformer on CPU). Here reading (file, parse, chunk) runs ahead in a task, by at most
``READ_AHEAD`` documents (bounded memory); embedding takes the waiting chunks of several documents at once,
``BATCH`` texts sorted by length; each document is written (its chunks and ``ready``, one commit) by another
task as soon as its last vector is back, while the next batch is embedded. Status is written when the documents
start (one commit for all) and when each ends, not after every batch.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from dataclasses import dataclass, field

from application.commands import IndexDocuments
from application.ingestion.chunker import ChunkDraft
from application.ports.document_parser import UnreadableDocument
from application.ports.embedder import EmbedderUnavailable
from application.use_cases.documents.document_indexing import DocumentIndexing
from domain.documents import Document
from domain.errors import NotFound

log = logging.getLogger(__name__)
READ_AHEAD = 8
BATCH = 256


@dataclass
class _Work:
    document: Document
    drafts: list[ChunkDraft] = field(default_factory=list)
    vectors: list[list[float] | None] = field(default_factory=list)
    failure: str | None = None
    missing: int = 0


class IndexDocumentsHandler:
    """Indexes the listed documents of one owner; returns them in their final state (``ready`` or ``failed``
    with the reason; ids that are missing or foreign are skipped). An unavailable embedder fails every
    document not yet written, with the reason, instead of raising."""

    def __init__(self, indexing: DocumentIndexing) -> None:
        self._indexing = indexing
        self._owner_id: uuid.UUID | None = None

    async def __call__(self, command: IndexDocuments) -> list[Document]:
        self._owner_id = command.owner_id
        documents, clock = self._indexing.documents, self._indexing.clock
        started: list[Document] = []
        for document_id in command.document_ids:  # all marked ``indexing`` in one commit
            document = await documents.get(command.owner_id, document_id)
            if document is not None:
                document.start_indexing(clock.now())
                if await documents.update(document):  # False: deleted meanwhile
                    started.append(document)
        await self._indexing.commit()
        read: asyncio.Queue[_Work | None] = asyncio.Queue(maxsize=READ_AHEAD)
        done: asyncio.Queue[_Work | None] = asyncio.Queue()
        reader = asyncio.create_task(self._read_all(started, read))
        writer = asyncio.create_task(self._write_all(done))
        try:
            await self._embed_all(read, done)
        finally:
            reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await reader
            await done.put(None)
            await writer
        return started

    async def _read_all(self, documents: list[Document], read: asyncio.Queue[_Work | None]) -> None:
        for document in documents:
            work = _Work(document)
            try:
                work.drafts = await self._indexing.read(document)
            except (UnreadableDocument, NotFound) as exc:
                work.failure = exc.message
            work.vectors = [None] * len(work.drafts)
            work.missing = len(work.drafts)
            await read.put(work)
        await read.put(None)

    async def _embed_all(self, read: asyncio.Queue[_Work | None], done: asyncio.Queue[_Work | None]) -> None:
        pending: list[tuple[_Work, int]] = []
        reading = True
        while reading or pending:
            while reading and len(pending) < BATCH:
                work = await read.get()
                if work is None:
                    reading = False
                elif work.failure is not None:
                    await done.put(work)
                else:
                    pending += [(work, index) for index in range(len(work.drafts))]
            batch, pending = pending[:BATCH], pending[BATCH:]
            batch.sort(key=lambda item: len(item[0].drafts[item[1]].embedding_input))
            try:
                vectors = await self._indexing.embed([work.drafts[index] for work, index in batch], self._owner_id)
            except EmbedderUnavailable as exc:
                reason = f"{exc.message}; re-index to try again"
                await self._fail_unwritten(batch + pending, read if reading else None, done, reason)
                return
            for (work, index), vector in zip(batch, vectors, strict=True):
                work.vectors[index] = vector
                work.missing -= 1
                if work.missing == 0:
                    await done.put(work)

    async def _fail_unwritten(
        self,
        unfinished: list[tuple[_Work, int]],
        read: asyncio.Queue[_Work | None] | None,
        done: asyncio.Queue[_Work | None],
        reason: str,
    ) -> None:
        """Fails the documents embedding had started and, unless reading had ended, those still to come."""
        failed = list({id(work): work for work, _ in unfinished}.values())
        while read is not None and (work := await read.get()) is not None:
            failed.append(work)
        for work in failed:
            work.failure = work.failure or reason
            await done.put(work)

    async def _write_all(self, done: asyncio.Queue[_Work | None]) -> None:
        while (work := await done.get()) is not None:
            document, indexing = work.document, self._indexing
            if work.failure is not None:
                await indexing.chunks.delete_document(document.owner_id, document.id)
                document.mark_failed(work.failure, indexing.clock.now())
            else:
                vectors = [vector for vector in work.vectors if vector is not None]
                await indexing.write_chunks(document, work.drafts, vectors)
                document.mark_ready(len(work.drafts), indexing.clock.now())
            await indexing.save(document)
            log.info("document indexed", extra={"document_id": str(document.id), "status": document.status.value})
