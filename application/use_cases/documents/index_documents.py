"""Bulk indexing (``ragchat ingest``, ``ragchat eval``): many documents through one pipeline.

Indexing document by document embeds each one's chunks in its own calls, so every document ends with a small
batch and the model can only sort texts by length within one call (padding to the longest text of a batch is
most of the cost of a transformer on CPU). Here reading (file, parse, chunk) runs ahead, several documents at
once (as many as the parser allows), by at most ``READ_AHEAD`` documents (bounded memory); embedding takes the
waiting chunks of several documents at once, ``BATCH`` texts sorted by their tokens (``DocumentIndexing.embed``;
characters are a poor proxy: on package documentation a token is 1.5 to 3.9 characters, and sorting by
characters left 9% of the model's work on padding, by tokens 0.5%); documents are written by another task as
soon as their last vector is back, while the next batch is embedded: those finished meanwhile together, up to
``WRITE_TOGETHER`` (their chunks and states in a few statements and one commit). Status is written when the
documents start (one commit for all) and when each ends, not after every batch.
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
from application.use_cases.documents.document_indexing import DocumentIndexing, chunks_of
from domain.documents import Chunk, Document
from domain.errors import NotFound

log = logging.getLogger(__name__)
READ_AHEAD = 8
BATCH = 256
WRITE_TOGETHER = 16


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
        found = await documents.get_many(command.owner_id, command.document_ids)
        for document in found:  # all marked ``indexing`` in one statement and commit
            document.start_indexing(clock.now())
        written = await documents.update_states(found)  # without any deleted meanwhile
        started = [document for document in found if document.id in written]
        await self._indexing.commit()
        read: asyncio.Queue[asyncio.Task[_Work] | None] = asyncio.Queue(maxsize=READ_AHEAD)
        done: asyncio.Queue[_Work | None] = asyncio.Queue()
        reader = asyncio.create_task(self._read_all(started, read))
        writer = asyncio.create_task(self._write_all(done))
        try:
            await self._embed_all(read, done)
        finally:
            reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await reader
            while not read.empty():  # reads started but never taken (an error ended embedding)
                if (task := read.get_nowait()) is not None:
                    task.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await task
            await done.put(None)
            await writer
        return started

    async def _read_all(self, documents: list[Document], read: asyncio.Queue[asyncio.Task[_Work] | None]) -> None:
        """Starts each document's read and queues it, in order: the parser works on several at once."""
        for document in documents:
            task = asyncio.create_task(self._read(document))
            try:
                await read.put(task)
            except asyncio.CancelledError:
                task.cancel()
                raise
        await read.put(None)

    async def _read(self, document: Document) -> _Work:
        work = _Work(document)
        try:
            work.drafts = await self._indexing.read(document)
        except (UnreadableDocument, NotFound) as exc:
            work.failure = exc.message
        work.vectors = [None] * len(work.drafts)
        work.missing = len(work.drafts)
        return work

    async def _embed_all(
        self, read: asyncio.Queue[asyncio.Task[_Work] | None], done: asyncio.Queue[_Work | None]
    ) -> None:
        pending: list[tuple[_Work, int]] = []
        reading = True
        while reading or pending:
            while reading and len(pending) < BATCH:
                task = await read.get()
                if task is None:
                    reading = False
                elif (work := await task).failure is not None:
                    await done.put(work)
                else:
                    pending += [(work, index) for index in range(len(work.drafts))]
            batch, pending = pending[:BATCH], pending[BATCH:]
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
        read: asyncio.Queue[asyncio.Task[_Work] | None] | None,
        done: asyncio.Queue[_Work | None],
        reason: str,
    ) -> None:
        """Fails the documents embedding had started and, unless reading had ended, those still to come."""
        failed = list({id(work): work for work, _ in unfinished}.values())
        while read is not None and (task := await read.get()) is not None:
            failed.append(await task)
        for work in failed:
            work.failure = work.failure or reason
            await done.put(work)

    async def _write_all(self, done: asyncio.Queue[_Work | None]) -> None:
        """Writes what is finished, several documents at a time; ends at ``None``."""
        ending = False
        while not ending:
            works = [await done.get()]
            while len(works) < WRITE_TOGETHER and not done.empty():
                works.append(done.get_nowait())
            ending = None in works
            finished = [work for work in works if work is not None]
            for work in finished:
                self._settle(work)
            if finished and not await self._write(finished):
                for work in finished:  # one was deleted meanwhile: the others are written one by one
                    await self._write([work])

    def _settle(self, work: _Work) -> None:
        now = self._indexing.clock.now()
        if work.failure is not None:
            work.document.mark_failed(work.failure, now)
        else:
            work.document.mark_ready(len(work.drafts), now)

    async def _write(self, works: list[_Work]) -> bool:
        """The documents' chunks (none for a failed one) and states in one commit; ``False``, with nothing
        written, when one of them is gone."""
        indexing = self._indexing
        chunks: dict[uuid.UUID, list[Chunk]] = {}
        for work in works:
            vectors = [vector for vector in work.vectors if vector is not None]
            chunks[work.document.id] = [] if work.failure else chunks_of(work.document, work.drafts, vectors)
        try:
            await indexing.chunks.replace_chunks_of_documents(works[0].document.owner_id, chunks)
            if await indexing.documents.update_states([work.document for work in works]) != set(chunks):
                raise NotFound("document not found")
        except NotFound:
            await indexing.rollback()
            return False
        await indexing.commit()
        for work in works:
            document = work.document
            log.info("document indexed", extra={"document_id": str(document.id), "status": document.status.value})
        return True
