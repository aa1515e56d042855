from __future__ import annotations

from adapters.embedding.hashing_embedder import HashingEmbedder
from adapters.embedding.reporting_embedder import ReportingEmbedder


async def test_reports_each_slice_and_returns_the_same_vectors_in_order() -> None:
    reported: list[int] = []
    inner = HashingEmbedder(64)
    embedder = ReportingEmbedder(inner, reported.append, slice_size=16)
    texts = [f"passage number {i}" for i in range(40)]

    vectors = await embedder.embed_documents(texts)

    assert vectors == await inner.embed_documents(texts)
    assert reported == [16, 16, 8]
    assert embedder.dimension == 64
    assert await embedder.embed_query("q") == await inner.embed_query("q")
    assert reported == [16, 16, 8]  # queries are not passages
