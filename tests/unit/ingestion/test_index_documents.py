"""IndexDocuments (bulk, pipelined) through the bus, on in-memory twins."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from adapters.embedding.word_tokenizer import WordTokenizer
from application import commands as c
from application.ports.embedder import EmbedderUnavailable
from application.use_cases.documents.index_documents import READ_AHEAD
from domain.documents import Document, DocumentStatus
from tests.unit.ingestion.harness import Harness, OverlapSpy

OWNER = uuid.uuid4()


def book(topic: str, sections: int) -> bytes:
    parts = [f"# {topic.title()} handbook"]
    for n in range(sections):
        words = " ".join(f"{topic}{n} fact{m}" for m in range(5 + 7 * (n % 4)))
        parts.append(f"## Part {n}\n\n{words}.")
    return "\n\n".join(parts).encode()


class RecordingEmbedder:
    def __init__(self, inner: object) -> None:
        self.inner = inner
        self.calls: list[list[str]] = []

    @property
    def dimension(self) -> int:
        return self.inner.dimension  # type: ignore[attr-defined, no-any-return]

    async def embed_documents(self, texts: Sequence[str], *, owner_id: uuid.UUID | None = None) -> list[list[float]]:
        self.calls.append(list(texts))
        return await self.inner.embed_documents(texts, owner_id=owner_id)  # type: ignore[attr-defined, no-any-return]

    async def embed_query(self, text: str) -> list[float]:
        return await self.inner.embed_query(text)  # type: ignore[attr-defined, no-any-return]


class BrokenEmbedder(RecordingEmbedder):
    async def embed_documents(self, texts: Sequence[str], *, owner_id: uuid.UUID | None = None) -> list[list[float]]:
        raise EmbedderUnavailable("the model is gone")


async def bulk(harness: Harness, documents: list[Document]) -> list[Document]:
    ids = [document.id for document in documents]
    result: list[Document] = await harness.dispatch(c.IndexDocuments(owner_id=OWNER, document_ids=ids))
    return result


async def test_documents_indexed_together_match_documents_indexed_one_by_one() -> None:
    single, together = Harness(), Harness()
    topics = ["penguin", "volcano", "glacier", "harbour"]
    alone = [await single.index(await single.upload(OWNER, f"{t}.md", book(t, 6))) for t in topics]
    uploaded = [await together.upload(OWNER, f"{t}.md", book(t, 6)) for t in topics]
    indexed = await bulk(together, uploaded)
    assert [d.status for d in indexed] == [DocumentStatus.READY] * len(topics)
    for one, many in zip(alone, indexed, strict=True):
        assert many.chunks_total == one.chunks_total > 1
        assert together.committed(many).status is DocumentStatus.READY
        expected = [(ch.ordinal, ch.text, ch.embedding) for ch in single.store.chunks[one.id]]
        assert [(ch.ordinal, ch.text, ch.embedding) for ch in together.store.chunks[many.id]] == expected
    hits = await together.search(OWNER, "glacier3 fact2")
    assert hits and hits[0].filename == "glacier.md"


async def test_chunks_of_several_documents_are_embedded_together_fewest_tokens_first() -> None:
    harness = Harness()
    recorder = RecordingEmbedder(harness.embedder)
    harness.embedder = recorder  # type: ignore[assignment]
    uploaded = [await harness.upload(OWNER, f"d{n}.md", book(f"topic{n}", 3)) for n in range(12)]
    # Few long words against many short ones: the order by tokens is not the order by characters.
    uploaded.append(await harness.upload(OWNER, "long.md", b"# Long\n\n" + b"internationalization " * 12))
    uploaded.append(await harness.upload(OWNER, "short.md", b"# Short\n\n" + b"a, b; c. " * 4))
    indexed = await bulk(harness, uploaded)
    total = sum(document.chunks_total for document in indexed)
    assert len(recorder.calls) < len(uploaded)
    assert sum(len(call) for call in recorder.calls) == total
    counts = [[len(WordTokenizer().token_offsets(text)) for text in call] for call in recorder.calls]
    assert all(count == sorted(count) for count in counts)
    order = [text.split("\n")[0] for call in recorder.calls for text in call]
    assert order.index("Long") < order.index("Short")  # 15 tokens in 270 characters, 27 in 50


async def test_every_chunk_keeps_its_own_vector_whatever_order_it_was_embedded_in() -> None:
    single, together = Harness(), Harness()
    files = {f"d{n}.md": book(f"topic{n}", 5) for n in range(3)}
    files["long.md"] = b"# Long\n\n" + b"internationalization " * 12 + b"\n\n## Short\n\n" + b"a, b; c. " * 4
    indexed = [await single.index(await single.upload(OWNER, name, data)) for name, data in files.items()]
    indexed += await bulk(together, [await together.upload(OWNER, name, data) for name, data in files.items()])
    checked = 0
    for harness in (single, together):
        for chunks in harness.store.chunks.values():
            for chunk in chunks:
                text = " > ".join(chunk.heading_path) + "\n" + chunk.text if chunk.heading_path else chunk.text
                assert chunk.embedding == (await harness.embedder.embed_documents([text]))[0]
                checked += 1
    assert checked == sum(document.chunks_total for document in indexed) > 8


async def test_an_unreadable_document_fails_alone() -> None:
    harness = Harness()
    good = await harness.upload(OWNER, "good.md", book("penguin", 3))
    bad = await harness.upload(OWNER, "blank.txt", b"placeholder")
    await harness.blobs.put(bad.blob_key, b" \n\n \t")
    indexed = await bulk(harness, [good, bad])
    assert [d.status for d in indexed] == [DocumentStatus.READY, DocumentStatus.FAILED]
    assert "no text" in (harness.committed(bad).failure_reason or "")
    assert harness.store.chunks.get(bad.id, []) == []


async def test_an_unavailable_embedder_fails_every_document_with_the_reason() -> None:
    harness = Harness()
    harness.embedder = BrokenEmbedder(harness.embedder)  # type: ignore[assignment]
    uploaded = [await harness.upload(OWNER, f"d{n}.md", book(f"topic{n}", 3)) for n in range(3)]
    indexed = await bulk(harness, uploaded)
    assert {d.status for d in indexed} == {DocumentStatus.FAILED}
    for document in uploaded:
        assert "the model is gone" in (harness.committed(document).failure_reason or "")


async def test_missing_and_foreign_ids_are_skipped() -> None:
    harness = Harness()
    mine = await harness.upload(OWNER, "mine.md", book("penguin", 2))
    theirs = await harness.upload(uuid.uuid4(), "theirs.md", book("volcano", 2))
    ids = [uuid.uuid4(), mine.id, theirs.id]
    indexed = await harness.dispatch(c.IndexDocuments(owner_id=OWNER, document_ids=ids))
    assert [d.id for d in indexed] == [mine.id]
    assert harness.committed(theirs).status is DocumentStatus.PENDING


async def test_a_document_deleted_meanwhile_is_dropped_and_the_others_are_written() -> None:
    harness = Harness()
    uploaded = [await harness.upload(OWNER, f"d{n}.md", book(f"topic{n}", 3)) for n in range(5)]
    doomed = uploaded[2]

    class DeletingEmbedder(RecordingEmbedder):
        async def embed_documents(
            self, texts: Sequence[str], *, owner_id: uuid.UUID | None = None
        ) -> list[list[float]]:
            harness.store.documents.pop(doomed.id, None)  # as a DeleteDocument committed while indexing
            return await super().embed_documents(texts, owner_id=owner_id)

    harness.embedder = DeletingEmbedder(harness.embedder)  # type: ignore[assignment]
    await bulk(harness, uploaded)
    assert doomed.id not in harness.store.documents
    assert harness.store.chunks.get(doomed.id, []) == []
    for document in uploaded:
        if document is not doomed:
            assert harness.committed(document).status is DocumentStatus.READY
            assert len(harness.store.chunks[document.id]) == harness.committed(document).chunks_total > 0


async def test_documents_are_parsed_several_at_once_within_the_read_ahead() -> None:
    spy = OverlapSpy()
    harness = Harness(parser=spy)
    uploaded = [await harness.upload(OWNER, f"d{n}.md", book(f"topic{n}", 3)) for n in range(READ_AHEAD * 2)]
    indexed = await bulk(harness, uploaded)
    assert {d.status for d in indexed} == {DocumentStatus.READY}
    assert 2 <= spy.most <= READ_AHEAD + 2
