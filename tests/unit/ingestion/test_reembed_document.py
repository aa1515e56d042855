"""ReembedDocument: a ready document gets the current embedder's vectors without ever leaving search."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import pytest

from adapters.embedding.hashing_embedder import HashingEmbedder
from application import commands as c
from domain.documents import DocumentStatus
from domain.errors import NotFound
from tests.unit.ingestion.harness import Harness

GUIDE = b"""# Field guide

## Penguins

Emperor penguins breed in the Antarctic winter. The male keeps the egg warm on his feet for two months
while the female feeds at sea. Chicks huddle together against the wind.

## Volcanoes

A volcano erupts when gas and molten rock build pressure under the crust and force their way up.
"""
OWNER = uuid.uuid4()


class Reversed:
    """Another embedder of the same dimension: the hashing vectors, reversed (so they visibly differ). While
    it embeds, it records what a reader would find meanwhile."""

    def __init__(self, harness: Harness) -> None:
        self.inner = HashingEmbedder(64)
        self.harness = harness
        self.seen_meanwhile: list[tuple[DocumentStatus, int]] = []

    @property
    def dimension(self) -> int:
        return 64

    async def embed_documents(self, texts: Sequence[str], *, owner_id: uuid.UUID | None = None) -> list[list[float]]:
        for document in self.harness.store.documents.values():
            self.seen_meanwhile.append((document.status, len(self.harness.store.chunks.get(document.id, []))))
        return [vector[::-1] for vector in await self.inner.embed_documents(texts)]

    async def embed_query(self, text: str) -> list[float]:
        return (await self.inner.embed_query(text))[::-1]


async def test_a_ready_document_is_re_embedded_in_place_and_stays_searchable_meanwhile() -> None:
    harness = Harness()
    document = await harness.index(await harness.upload(OWNER, "guide.md", GUIDE))
    old_chunks = list(harness.store.chunks[document.id])
    harness.embedder = Reversed(harness)

    again = await harness.dispatch(c.ReembedDocument(owner_id=OWNER, document_id=document.id))

    assert again.status is DocumentStatus.READY and again.chunks_total == len(old_chunks)
    new_chunks = harness.store.chunks[document.id]
    assert {chunk.id for chunk in new_chunks}.isdisjoint(chunk.id for chunk in old_chunks)
    assert [chunk.embedding for chunk in new_chunks] != [chunk.embedding for chunk in old_chunks]
    # while the new vectors were computed, the document was ready with all its old chunks
    assert set(harness.embedder.seen_meanwhile) == {(DocumentStatus.READY, len(old_chunks))}
    best = (await harness.search(OWNER, "where do emperor penguins breed?", mode="vector"))[0]
    assert "Emperor penguins breed" in best.text


async def test_documents_that_are_not_ready_are_left_alone_and_unknown_ones_are_not_found() -> None:
    harness = Harness()
    pending = await harness.upload(OWNER, "guide.md", GUIDE)
    unchanged = await harness.dispatch(c.ReembedDocument(owner_id=OWNER, document_id=pending.id))
    assert unchanged.status is DocumentStatus.PENDING and pending.id not in harness.store.chunks
    with pytest.raises(NotFound):
        await harness.dispatch(c.ReembedDocument(owner_id=uuid.uuid4(), document_id=pending.id))
