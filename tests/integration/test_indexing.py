"""Indexing and search end to end on real PostgreSQL + pgvector, real parsers, and (for the eval harness)
the embedded default model, offline."""

from __future__ import annotations

import io
import uuid
from collections.abc import AsyncIterator, Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfWriter
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.embedding.hashing_embedder import HashingEmbedder
from adapters.embedding.word_tokenizer import WordTokenizer
from adapters.inprocess.deferred_job_queue import DeferredJobQueue
from adapters.parsing.document_parsers import DocumentParsers
from adapters.postgres.chunk_index import PgChunkIndex
from adapters.postgres.document_repository import PgDocumentRepository
from adapters.postgres.engine import create_session_factory
from adapters.postgres.unit_of_work import PgUnitOfWork
from adapters.postgres.user_repository import PgUserRepository
from application import commands as c
from application.evaluation.beir import load_dataset
from application.ingestion.policy import IndexingPolicy
from application.ports.embedder import Embedder
from application.use_cases.documents.delete_document import DeleteDocumentHandler
from application.use_cases.documents.document_indexing import DocumentIndexing
from application.use_cases.documents.index_document import IndexDocumentHandler
from application.use_cases.documents.index_documents import IndexDocumentsHandler
from application.use_cases.documents.search_passages import SearchPassagesHandler
from application.use_cases.documents.upload_document import UploadDocumentHandler
from domain.documents import DocumentStatus
from entrypoints.cli.eval import run_eval
from entrypoints.settings_loading import load_settings
from tests.contract.persistence import new_user
from tests.support.clock import ManualClock
from tests.support.twins.blob_store import MemoryBlobStore
from tests.unit.ingestion import sample_files

BEIR_TINY = Path(__file__).resolve().parents[1] / "fixtures" / "beir_tiny"


class PgPipeline:
    """The document use cases on PostgreSQL, one session per command as per request in production."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.sessions = create_session_factory(engine)
        self.blobs = MemoryBlobStore()
        self.embedder: Embedder = HashingEmbedder(384)

    async def run(self, command: c.Command) -> Any:
        async with self.sessions() as session:
            documents, uow, chunks = PgDocumentRepository(session), PgUnitOfWork(session), PgChunkIndex(session)
            clock = ManualClock()
            indexing = DocumentIndexing(
                documents,
                self.blobs,
                DocumentParsers(),
                WordTokenizer(),
                self.embedder,
                chunks,
                clock,
                uow,
                IndexingPolicy(embed_batch_size=4),
            )
            handler: Any = {
                c.UploadDocument: lambda: UploadDocumentHandler(
                    documents, self.blobs, DeferredJobQueue(), clock, uow, max_bytes=10_000_000
                ),
                c.IndexDocument: lambda: IndexDocumentHandler(indexing),
                c.IndexDocuments: lambda: IndexDocumentsHandler(indexing),
                c.SearchPassages: lambda: SearchPassagesHandler(self.embedder, chunks),
                c.DeleteDocument: lambda: DeleteDocumentHandler(documents, self.blobs, uow, chunks),
            }[type(command)]()
            return await handler(command)

    async def ingest(self, owner: uuid.UUID, filename: str, data: bytes) -> Any:
        document = await self.run(c.UploadDocument(owner_id=owner, filename=filename, content_type="", data=data))
        return await self.run(c.IndexDocument(owner_id=owner, document_id=document.id))


@pytest.fixture
async def pipeline(pg_engine: AsyncEngine) -> AsyncIterator[tuple[PgPipeline, uuid.UUID]]:
    user = new_user()
    async with create_session_factory(pg_engine)() as session:
        await PgUserRepository(session).add(user)
        await PgUnitOfWork(session).commit()
    yield PgPipeline(pg_engine), user.id


def thousands_of_pages(count: int) -> bytes:
    writer = PdfWriter()
    for _ in range(count):
        writer.add_blank_page(100, 100)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


async def test_documents_of_every_type_index_and_are_found(pipeline: tuple[PgPipeline, uuid.UUID]) -> None:
    run, owner = pipeline
    files = {
        "guide.md": b"# Guide\n\n## Penguins\n\nEmperor penguins breed in winter.\n",
        "page.html": b"<h1>Volcanoes</h1><script>steal()</script><p>Magma rises under pressure.</p>",
        "notes.txt": "Café notes: espresso needs nine bars.".encode("cp1252"),
        "manual.pdf": sample_files.pdf(["Reboot the router first.", "Then call support, please. " * 80]),
        "handbook.docx": sample_files.word_document(),
    }
    for name, data in files.items():
        assert (await run.ingest(owner, name, data)).status is DocumentStatus.READY, name
    expectations = {
        "emperor penguins": ("guide.md", ["Guide", "Penguins"], None),
        "magma pressure": ("page.html", ["Volcanoes"], None),
        "espresso bars": ("notes.txt", [], None),
        "reboot router": ("manual.pdf", [], 1),
        # The handbook's sections are a line each, so they share one chunk under the headings they share.
        "receipt": ("handbook.docx", ["Handbook"], None),
    }
    for query, (filename, headings, page) in expectations.items():
        best = (await run.run(c.SearchPassages(owner_id=owner, query=query, k=3, mode="keyword")))[0]
        assert (best.filename, best.heading_path, best.page) == (filename, headings, page), query
    hits = await run.run(c.SearchPassages(owner_id=owner, query="call support", k=10, mode="keyword"))
    assert {hit.page for hit in hits} == {1, 2}  # a chunk's page is where it starts
    hits = await run.run(c.SearchPassages(owner_id=owner, query="steal", k=5))
    assert all("steal()" not in hit.text for hit in hits)


@pytest.mark.parametrize(
    ("filename", "make", "reason"),
    [
        ("huge.pdf", lambda: thousands_of_pages(10_001), "10,001 pages"),
        ("bomb.docx", lambda: sample_files.zip_bomb(300 * 1024 * 1024), "safety limit"),
        ("locked.pdf", lambda: sample_files.pdf(["secret"], user_password="pw", owner_password="pw"), "password"),
        ("torn.pdf", lambda: sample_files.pdf(["half a file"])[:200], "PDF"),
    ],
    ids=["10000-pages", "zip-bomb", "encrypted", "truncated"],
)
async def test_hostile_files_end_failed_with_a_reason_and_nothing_indexed(
    pipeline: tuple[PgPipeline, uuid.UUID],
    pg_engine: AsyncEngine,
    filename: str,
    make: Callable[[], bytes],
    reason: str,
) -> None:
    run, owner = pipeline
    document = await run.ingest(owner, filename, make())
    assert document.status is DocumentStatus.FAILED
    assert reason in document.failure_reason
    async with pg_engine.connect() as connection:
        assert (await connection.execute(text("SELECT count(*) FROM chunks"))).scalar_one() == 0


async def test_reindexing_replaces_and_deleting_removes_chunks(
    pipeline: tuple[PgPipeline, uuid.UUID], pg_engine: AsyncEngine
) -> None:
    run, owner = pipeline
    document = await run.ingest(owner, "guide.md", b"# Guide\n\n" + b"Penguins waddle on ice. " * 200)
    again = await run.run(c.IndexDocument(owner_id=owner, document_id=document.id))
    async with pg_engine.connect() as connection:
        count = (await connection.execute(text("SELECT count(*) FROM chunks"))).scalar_one()
    assert count == again.chunks_total == document.chunks_total > 1
    await run.run(c.DeleteDocument(owner_id=owner, document_id=document.id))
    async with pg_engine.connect() as connection:
        assert (await connection.execute(text("SELECT count(*) FROM chunks"))).scalar_one() == 0


class DeletingEmbedder:
    """Deletes one document (committed, from its own session) the first time it is asked to embed."""

    def __init__(self, run: PgPipeline, owner: uuid.UUID, doomed: uuid.UUID) -> None:
        self.inner, self.run, self.owner, self.doomed = run.embedder, run, owner, doomed

    @property
    def dimension(self) -> int:
        return self.inner.dimension

    async def embed_documents(self, texts: Sequence[str], *, owner_id: uuid.UUID | None = None) -> list[list[float]]:
        if self.doomed is not None:
            await self.run.run(c.DeleteDocument(owner_id=self.owner, document_id=self.doomed))
            self.doomed = None  # type: ignore[assignment]
        return await self.inner.embed_documents(texts, owner_id=owner_id)

    async def embed_query(self, text: str) -> list[float]:
        return await self.inner.embed_query(text)


async def test_bulk_indexing_writes_every_document_and_drops_one_deleted_meanwhile(
    pipeline: tuple[PgPipeline, uuid.UUID], pg_engine: AsyncEngine
) -> None:
    run, owner = pipeline
    uploaded = []
    for n in range(12):
        body = f"# Topic {n}\n\n" + f"Glacier{n} facts and penguin{n} notes. " * (40 + 30 * n)
        upload = c.UploadDocument(owner_id=owner, filename=f"t{n}.md", content_type="", data=body.encode())
        uploaded.append(await run.run(upload))
    uploaded.append(await run.run(c.UploadDocument(owner_id=owner, filename="blank.txt", content_type="", data=b" ")))
    doomed = uploaded[5]
    run.embedder = DeletingEmbedder(run, owner, doomed.id)
    indexed = await run.run(c.IndexDocuments(owner_id=owner, document_ids=[d.id for d in uploaded]))
    states = {d.id: d.status for d in indexed}
    assert [states[d.id] for d in uploaded[:5] + uploaded[6:12]] == [DocumentStatus.READY] * 11
    assert states[uploaded[12].id] is DocumentStatus.FAILED
    async with pg_engine.connect() as connection:
        rows = await connection.execute(
            text("SELECT d.id, d.status, d.chunks_total, count(c.id) FROM documents d"
                 " LEFT JOIN chunks c ON c.document_id = d.id GROUP BY d.id")
        )  # fmt: skip
        stored = {row[0]: row[1:] for row in rows}
    assert doomed.id not in stored
    for document in uploaded[:5] + uploaded[6:12]:
        status, total, count = stored[document.id]
        assert (status, count) == ("ready", total) and total > 0
    assert stored[uploaded[12].id] == ("failed", 0, 0)
    best = (await run.run(c.SearchPassages(owner_id=owner, query="glacier7 penguin7", k=3, mode="keyword")))[0]
    assert best.filename == "t7.md"


async def test_the_eval_harness_on_the_shipped_fixture_with_the_local_model(pg_url: str, tmp_path: Path) -> None:
    settings = load_settings({}, database_url=pg_url, jwt_secret="x" * 40, data_dir=str(tmp_path), embedder="local")
    results = await run_eval(settings, load_dataset(BEIR_TINY))
    assert set(results) == {"hybrid", "vector", "keyword", "ingest"}
    assert results["ingest"]["documents"] == 12 and results["ingest"]["chunks"] == 12
    for mode in ("hybrid", "vector", "keyword"):
        assert set(results[mode]) == {"ndcg@10", "recall@10", "recall@100", "mrr@10"}
        assert results[mode]["ndcg@10"] >= 0.9, (mode, results[mode])
