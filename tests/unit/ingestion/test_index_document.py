"""IndexDocument and SearchPassages through the bus, on in-memory twins."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import msgspec
import pytest

from application import commands as c
from application.ingestion.policy import IndexingPolicy
from application.ports.embedder import EmbedderUnavailable
from domain.documents import DocumentStatus
from domain.errors import InvalidInput, NotFound
from tests.unit.ingestion.harness import Harness, ProgressSpy

GUIDE = b"""# Field guide

## Penguins

Emperor penguins breed in the Antarctic winter. The male keeps the egg warm on his feet for two months
while the female feeds at sea. Chicks huddle together against the wind.

## Volcanoes

A volcano erupts when gas and molten rock build pressure under the crust and force their way up.
"""
OWNER = uuid.uuid4()


async def test_an_indexed_document_is_ready_and_searchable_with_its_headings() -> None:
    harness = Harness()
    document = await harness.index(await harness.upload(OWNER, "guide.md", GUIDE))
    assert document.status is DocumentStatus.READY
    assert harness.committed(document).status is DocumentStatus.READY
    assert document.chunks_done == document.chunks_total == len(harness.store.chunks[document.id]) > 1
    best = (await harness.search(OWNER, "where do emperor penguins breed?", mode="keyword"))[0]
    assert (best.filename, best.heading_path) == ("guide.md", ["Field guide", "Penguins"])
    assert "Emperor penguins breed" in best.text
    assert await harness.search(uuid.uuid4(), "emperor penguins") == []


async def test_progress_is_committed_at_most_once_per_interval() -> None:
    harness = Harness(policy=IndexingPolicy(chunk_size_tokens=8, chunk_overlap_tokens=2, embed_batch_size=2,
                                            progress_interval_seconds=1.0))
    spy = ProgressSpy(harness.store, harness.embedder, advance=lambda: harness.clock.advance(0.4))
    harness.embedder = spy
    document = await harness.index(await harness.upload(OWNER, "guide.md", GUIDE))
    total = document.chunks_total
    assert total > 6  # more than one interval of three batches of two
    # a batch every 0.4 s: the progress committed moves every third batch (1.2 s), six chunks at a time
    assert spy.seen == [(6 * (call // 3), total) for call in range(len(spy.seen))]
    assert len(spy.seen) == -(-total // 2)
    assert harness.committed(document).chunks_done == total


@pytest.mark.parametrize(
    ("filename", "data", "reason"),
    [
        ("scan.pdf", b"%PDF-1.4\n%%EOF", "not a readable PDF"),
        ("blank.txt", b" \n\n \t", "no text"),
        ("broken.docx", b"PK\x03\x04" + b"\x00" * 64, "damaged"),
    ],
)
async def test_an_unreadable_file_ends_failed_with_a_reason(filename: str, data: bytes, reason: str) -> None:
    harness = Harness()
    document = await harness.upload(OWNER, "ok.txt", b"placeholder")  # upload checks would refuse some
    harness.store.documents[document.id].filename = filename
    await harness.blobs.put(document.blob_key, data)
    harness.store.documents[document.id].content_type = {
        "pdf": "application/pdf",
        "txt": "text/plain",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    }[filename.rsplit(".", 1)[1]]
    failed = await harness.index(document)
    assert failed.status is DocumentStatus.FAILED
    assert reason in (harness.committed(document).failure_reason or "")
    assert harness.store.chunks.get(document.id, []) == []


async def test_a_missing_file_fails_the_document() -> None:
    harness = Harness()
    document = await harness.upload(OWNER, "guide.md", GUIDE)
    await harness.blobs.delete(document.blob_key)
    assert (await harness.index(document)).failure_reason == "the stored file is missing"


async def test_indexing_twice_replaces_instead_of_duplicating() -> None:
    harness = Harness()
    document = await harness.upload(OWNER, "guide.md", GUIDE)
    first = await harness.index(document)
    second = await harness.index(document)
    assert second.status is DocumentStatus.READY and second.chunks_total == first.chunks_total
    assert len(harness.store.chunks[document.id]) == first.chunks_total
    hits = await harness.search(OWNER, "volcano erupts molten rock", k=20)
    assert len({(h.document_id, h.ordinal) for h in hits}) == len(hits)


async def test_reindexing_a_file_that_became_unreadable_removes_its_old_chunks() -> None:
    harness = Harness()
    document = await harness.index(await harness.upload(OWNER, "guide.md", GUIDE))
    await harness.blobs.put(document.blob_key, b"   ")
    assert (await harness.index(document)).status is DocumentStatus.FAILED
    assert await harness.search(OWNER, "penguins") == []


class BrokenEmbedder:
    dimension = 64

    async def embed_documents(self, texts: Sequence[str], *, owner_id: uuid.UUID | None = None) -> list[list[float]]:
        raise EmbedderUnavailable("the embeddings endpoint failed: APIConnectionError")

    async def embed_query(self, text: str) -> list[float]:
        raise EmbedderUnavailable("the embeddings endpoint failed: APIConnectionError")


async def test_an_embedder_outage_fails_the_document_and_lets_a_job_runner_retry() -> None:
    harness = Harness(embedder=BrokenEmbedder())
    document = await harness.upload(OWNER, "guide.md", GUIDE)
    with pytest.raises(EmbedderUnavailable):
        await harness.index(document)
    stored = harness.committed(document)
    assert stored.status is DocumentStatus.FAILED
    assert "re-index" in (stored.failure_reason or "")


async def test_indexing_once_returns_the_failed_document_instead_of_raising() -> None:
    harness = Harness(embedder=BrokenEmbedder())
    document = await harness.upload(OWNER, "guide.md", GUIDE)
    failed = await harness.dispatch(c.IndexDocument(owner_id=OWNER, document_id=document.id, returns_failure=True))
    assert failed.status is harness.committed(document).status is DocumentStatus.FAILED
    assert failed.failure_reason == harness.committed(document).failure_reason
    assert "re-index" in (failed.failure_reason or "")


async def test_a_foreign_document_is_not_found() -> None:
    harness = Harness()
    document = await harness.upload(OWNER, "guide.md", GUIDE)
    with pytest.raises(NotFound):
        await harness.dispatch(c.IndexDocument(owner_id=uuid.uuid4(), document_id=document.id))
    assert harness.committed(document).status is DocumentStatus.PENDING


async def test_deleting_a_document_removes_its_passages() -> None:
    harness = Harness()
    document = await harness.index(await harness.upload(OWNER, "guide.md", GUIDE))
    await harness.dispatch(c.DeleteDocument(owner_id=OWNER, document_id=document.id))
    assert await harness.search(OWNER, "penguins") == []
    assert document.id not in harness.store.chunks


@pytest.mark.parametrize(
    ("query", "k", "mode", "field"),
    [
        ("", 5, "hybrid", "q"),
        ("   \n", 5, "hybrid", "q"),
        ("ok", 0, "hybrid", "k"),
        ("ok", 201, "vector", "k"),
        ("ok", 5, "fuzzy", "mode"),
    ],
)
async def test_bad_searches_are_invalid_input(query: str, k: int, mode: str, field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        await Harness().search(OWNER, query, k=k, mode=mode)
    assert caught.value.field == field


async def test_a_20000_character_query_is_truncated_not_fatal() -> None:
    harness = Harness()
    await harness.index(await harness.upload(OWNER, "guide.md", GUIDE))
    hits = await harness.search(OWNER, "penguins " + "x" * 20_000)
    assert hits and "enguin" in hits[0].text


class DeletesItsDocument:
    """An embedder during whose first batch the document's owner deletes the document; each batch takes 0.5 s
    of the harness's clock."""

    dimension = 64

    def __init__(self, harness: Harness) -> None:
        self.harness = harness
        self.document: object = None
        self.batches = 0

    async def embed_documents(self, texts: Sequence[str], *, owner_id: uuid.UUID | None = None) -> list[list[float]]:
        self.batches += 1
        self.harness.clock.advance(0.5)
        if self.batches == 1:
            assert owner_id == OWNER, "the batch was not attributed to its owner"
            await self.harness.dispatch(c.DeleteDocument(owner_id=OWNER, document_id=self.document.id))  # type: ignore[attr-defined]
        return [[1.0] + [0.0] * 63 for _ in texts]

    async def embed_query(self, text: str) -> list[float]:
        return [1.0] + [0.0] * 63


async def test_deleting_a_document_mid_indexing_stops_its_job_at_the_next_progress_commit() -> None:
    harness = Harness(policy=IndexingPolicy(chunk_size_tokens=8, chunk_overlap_tokens=2, embed_batch_size=1,
                                            progress_interval_seconds=1.0))
    embedder = DeletesItsDocument(harness)
    harness.embedder = embedder
    document = await harness.upload(OWNER, "guide.md", GUIDE)
    embedder.document = document
    await harness.index(document)
    assert embedder.batches == 2, "batches were embedded after the progress commit that found it deleted"
    assert document.id not in harness.store.documents
    assert not harness.store.chunks.get(document.id)


class Tagging:
    """An embedder during whose calls the owner tags the document (a committed ``TagDocument``)."""

    def __init__(self, harness: Harness) -> None:
        self.harness, self.inner = harness, harness.embedder

    @property
    def dimension(self) -> int:
        return self.inner.dimension

    async def embed_documents(self, texts: Sequence[str], *, owner_id: uuid.UUID | None = None) -> list[list[float]]:
        for document_id, document in list(self.harness.store.documents.items()):
            self.harness.store.documents[document_id] = msgspec.structs.replace(document, tags=["tagged meanwhile"])
        return await self.inner.embed_documents(texts, owner_id=owner_id)

    async def embed_query(self, text: str) -> list[float]:
        return await self.inner.embed_query(text)


@pytest.mark.parametrize("command", ["IndexDocument", "IndexDocuments", "ReembedDocument"])
async def test_a_tag_set_while_indexing_stays(command: str) -> None:
    harness = Harness()
    document = await harness.upload(OWNER, "guide.md", GUIDE)
    if command == "ReembedDocument":
        document = await harness.index(document)
    harness.embedder = Tagging(harness)  # type: ignore[assignment]
    commands = {
        "IndexDocument": c.IndexDocument(owner_id=OWNER, document_id=document.id),
        "IndexDocuments": c.IndexDocuments(owner_id=OWNER, document_ids=[document.id]),
        "ReembedDocument": c.ReembedDocument(owner_id=OWNER, document_id=document.id),
    }
    await harness.dispatch(commands[command])
    stored = harness.committed(document)
    assert (stored.status, stored.tags) == (DocumentStatus.READY, ["tagged meanwhile"])
