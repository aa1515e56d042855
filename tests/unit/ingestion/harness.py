"""The document use cases wired to in-memory twins, one fresh session per dispatched command (as per
request in production), so what one command commits is what the next one sees."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable, Sequence
from typing import Any

from adapters.embedding.hashing_embedder import HashingEmbedder
from adapters.embedding.word_tokenizer import WordTokenizer
from adapters.inprocess.deferred_job_queue import DeferredJobQueue
from adapters.parsing.document_parsers import DocumentParsers
from application import commands as c
from application.bus import CommandBus
from application.ingestion.policy import IndexingPolicy
from application.ports.document_parser import DocumentParser, ParsedDocument
from application.ports.embedder import Embedder
from application.ports.unit_of_work import UnitOfWork
from application.use_cases.documents.delete_document import DeleteDocumentHandler
from application.use_cases.documents.document_indexing import DocumentIndexing
from application.use_cases.documents.get_document import GetDocumentHandler
from application.use_cases.documents.get_document_text import GetDocumentTextHandler
from application.use_cases.documents.index_document import IndexDocumentHandler
from application.use_cases.documents.index_documents import IndexDocumentsHandler
from application.use_cases.documents.reembed_document import ReembedDocumentHandler
from application.use_cases.documents.search_passages import SearchPassagesHandler
from application.use_cases.documents.upload_document import UploadDocumentHandler
from domain.documents import Document
from tests.support.clock import ManualClock
from tests.support.twins.blob_store import MemoryBlobStore
from tests.support.twins.chunk_index import MemoryChunkIndex
from tests.support.twins.document_repository import MemoryDocumentRepository
from tests.support.twins.store import MemorySession, MemoryStore
from tests.support.twins.unit_of_work import MemoryUnitOfWork


class Harness:
    def __init__(
        self,
        embedder: Embedder | None = None,
        policy: IndexingPolicy | None = None,
        parser: DocumentParser | None = None,
    ) -> None:
        self.store = MemoryStore()
        self.blobs = MemoryBlobStore()
        self.jobs = DeferredJobQueue()
        self.clock = ManualClock()
        self.embedder = embedder or HashingEmbedder(64)
        self.policy = policy or IndexingPolicy(chunk_size_tokens=40, chunk_overlap_tokens=8, embed_batch_size=2)
        self.parser = parser or DocumentParsers()

    async def dispatch(self, command: c.Command) -> Any:
        session = MemorySession(self.store)
        documents, uow = MemoryDocumentRepository(session), MemoryUnitOfWork(session)
        chunks = MemoryChunkIndex(session)
        indexing = DocumentIndexing(
            documents,
            self.blobs,
            self.parser,
            WordTokenizer(),
            self.embedder,
            chunks,
            self.clock,
            uow,
            self.policy,
        )
        handlers: dict[type, Any] = {
            UploadDocumentHandler: lambda: UploadDocumentHandler(
                documents, self.blobs, self.jobs, self.clock, uow, max_bytes=1_000_000
            ),
            IndexDocumentHandler: lambda: IndexDocumentHandler(indexing),
            IndexDocumentsHandler: lambda: IndexDocumentsHandler(indexing),
            ReembedDocumentHandler: lambda: ReembedDocumentHandler(indexing),
            SearchPassagesHandler: lambda: SearchPassagesHandler(self.embedder, chunks),
            DeleteDocumentHandler: lambda: DeleteDocumentHandler(documents, self.blobs, uow, chunks),
            GetDocumentHandler: lambda: GetDocumentHandler(documents),
            GetDocumentTextHandler: lambda: GetDocumentTextHandler(documents, chunks),
            UnitOfWork: lambda: uow,
        }

        async def resolve(kind: type) -> Any:
            return handlers[kind]()

        bus = CommandBus(
            {
                c.UploadDocument: UploadDocumentHandler,
                c.IndexDocument: IndexDocumentHandler,
                c.IndexDocuments: IndexDocumentsHandler,
                c.SearchPassages: SearchPassagesHandler,
                c.ReembedDocument: ReembedDocumentHandler,
                c.DeleteDocument: DeleteDocumentHandler,
                c.GetDocument: GetDocumentHandler,
                c.GetDocumentText: GetDocumentTextHandler,
            },
            resolve,
        )
        try:
            return await bus.dispatch(command)
        finally:
            session.close()

    async def upload(self, owner: uuid.UUID, filename: str, data: bytes) -> Document:
        document: Document = await self.dispatch(
            c.UploadDocument(owner_id=owner, filename=filename, content_type="", data=data)
        )
        return document

    async def index(self, document: Document) -> Document:
        indexed: Document = await self.dispatch(c.IndexDocument(owner_id=document.owner_id, document_id=document.id))
        return indexed

    async def search(self, owner: uuid.UUID, query: str, k: int = 5, mode: str = "hybrid") -> list[Any]:
        return list(await self.dispatch(c.SearchPassages(owner_id=owner, query=query, k=k, mode=mode)))

    def committed(self, document: Document) -> Document:
        return self.store.documents[document.id]


class OverlapSpy:
    """A parser that records how many files are being parsed at once; each parse waits (up to ``patience``
    seconds) for a second one to start, so a reader that parses one file at a time is seen doing so."""

    def __init__(self, patience: float = 10.0) -> None:
        self.inner = DocumentParsers()
        self.patience = patience
        self.running = 0
        self.most = 0
        self._second = asyncio.Event()

    async def parse(self, data: bytes, content_type: str) -> ParsedDocument:
        self.running += 1
        self.most = max(self.most, self.running)
        if self.running > 1:
            self._second.set()
        try:
            try:
                await asyncio.wait_for(self._second.wait(), self.patience)
            except TimeoutError:
                self._second.set()  # seen alone once is enough: the others do not wait
            return await self.inner.parse(data, content_type)
        finally:
            self.running -= 1


class ProgressSpy:
    """An embedder that records, at each call, the progress another reader would see committed."""

    def __init__(
        self, harness_store: MemoryStore, inner: Embedder, advance: Callable[[], object] = lambda: None
    ) -> None:
        """``advance`` is called after each call (moving a manual clock: each batch takes that long)."""
        self.store = harness_store
        self.inner = inner
        self.advance = advance
        self.seen: list[tuple[int, int]] = []

    @property
    def dimension(self) -> int:
        return self.inner.dimension

    async def embed_documents(self, texts: Sequence[str], *, owner_id: uuid.UUID | None = None) -> list[list[float]]:
        for document in self.store.documents.values():
            self.seen.append((document.chunks_done, document.chunks_total))
        self.advance()
        return await self.inner.embed_documents(texts, owner_id=owner_id)

    async def embed_query(self, text: str) -> list[float]:
        return await self.inner.embed_query(text)
