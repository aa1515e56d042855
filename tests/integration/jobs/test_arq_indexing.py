"""Upload → the arq worker indexes → ``ready``, with the progress visible to the owner while it runs."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import msgspec
from dishka import Provider, Scope, provide

from adapters.embedding.hashing_embedder import HashingEmbedder
from application.ports.embedder import Embedder
from domain.documents import DocumentStatus
from entrypoints.worker import run_worker
from tests.integration.jobs.conftest import Stack, markdown_book


class ProgressWatchingEmbedder:
    """Embeds like the hashing embedder; before each batch, reads the document as its owner would (a
    separate request on the API's container), so the test sees exactly what ``GET /documents/{id}`` shows."""

    def __init__(self, stack: Stack, owner: uuid.UUID) -> None:
        self.inner = HashingEmbedder(stack.settings.embedding_dimension)
        self.stack = stack
        self.owner = owner
        self.document_id: uuid.UUID | None = None
        self.seen: list[tuple[DocumentStatus, int, int]] = []

    @property
    def dimension(self) -> int:
        return self.inner.dimension

    async def embed_documents(
        self, texts: Sequence[str], *, owner_id: uuid.UUID | None = None
    ) -> list[list[float]]:
        assert self.document_id is not None
        document = await self.stack.document(self.owner, self.document_id)
        self.seen.append((document.status, document.chunks_done, document.chunks_total))
        return await self.inner.embed_documents(texts, owner_id=owner_id)

    async def embed_query(self, text: str) -> list[float]:
        return await self.inner.embed_query(text)


def embedder_override(embedder: Embedder) -> Provider:
    class EmbedderProvider(Provider):
        @provide(scope=Scope.APP)
        def embedder(self) -> Embedder:
            return embedder

    return EmbedderProvider()


async def test_an_uploaded_document_is_indexed_by_the_worker_with_visible_progress(stack: Stack) -> None:
    owner = await stack.user()
    spy = ProgressWatchingEmbedder(stack, owner)
    document = await stack.upload(owner, "handbook.md", markdown_book(sections=40))
    spy.document_id = document.id
    assert (await stack.document(owner, document.id)).status is DocumentStatus.PENDING

    every_batch = msgspec.structs.replace(stack.settings, index_progress_seconds=0)  # at most once a second by default
    worker = await run_worker(every_batch, embedder_override(spy), burst=True, handle_signals=False, sweep=False)

    assert worker.jobs_complete == 1 and worker.jobs_failed == 0
    ready = await stack.document(owner, document.id)
    assert ready.status is DocumentStatus.READY and ready.progress == 1.0
    total = ready.chunks_total
    assert len(spy.seen) == -(-total // stack.settings.embed_batch_size) >= 2
    assert spy.seen == [(DocumentStatus.INDEXING, done, total)
                        for done in range(0, total, stack.settings.embed_batch_size)]
    assert await stack.chunk_ordinals(document.id) == list(range(total))
