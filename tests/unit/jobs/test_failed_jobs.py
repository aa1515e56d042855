"""A job that keeps failing ends as a failed job (listed, retryable) and the document says why."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import pytest
from dishka import Provider, Scope, provide

from adapters.jobs.in_process_job_queue import InProcessJobQueue
from application.commands import GetDocument, ListJobs, MarkIndexingFailed, RetryJob, UploadDocument
from application.ports.embedder import Embedder, EmbedderUnavailable
from application.ports.job_queue import JobQueue
from domain.documents import Document, DocumentStatus
from domain.errors import InvalidInput, NotFound
from entrypoints.ioc.jobs import InProcessJobsProvider
from tests.support.memory_app import MemoryApp, memory_app
from tests.unit.jobs.helpers import user_and_chat

FAST_JOBS = {"job_max_tries": 2, "job_retry_base_delay_seconds": 0.001, "job_retry_max_delay_seconds": 0.001}


class FlakyEmbedder:
    """Fails with ``error`` while ``failures`` last, then embeds (constant vectors)."""

    def __init__(self, error: Exception, failures: int) -> None:
        self.error = error
        self.failures = failures

    @property
    def dimension(self) -> int:
        return 384

    async def embed_documents(
        self, texts: Sequence[str], *, owner_id: uuid.UUID | None = None
    ) -> list[list[float]]:
        if self.failures > 0:
            self.failures -= 1
            raise self.error
        return [[1.0] + [0.0] * 383 for _ in texts]

    async def embed_query(self, text: str) -> list[float]:
        return [1.0] + [0.0] * 383


def _embedder_provider(embedder: FlakyEmbedder) -> Provider:
    class EmbedderProvider(Provider):
        @provide(scope=Scope.APP)
        def embedder(self) -> Embedder:
            return embedder

    return EmbedderProvider()


async def _upload_and_wait(app: MemoryApp) -> Document:
    owner, _ = await user_and_chat(app)
    document = await app.dispatch(UploadDocument(owner_id=owner, filename="a.md", content_type="",
                                                 data=b"# A\n\nSome text to index."))
    await _drain(app)
    indexed: Document = await app.dispatch(GetDocument(owner_id=owner, document_id=document.id))
    return indexed


async def _drain(app: MemoryApp) -> None:
    queue = await app.container.get(JobQueue)
    assert isinstance(queue, InProcessJobQueue)
    await queue.drain()


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (EmbedderUnavailable("the embedder is down"), "the embedder is down; re-index the document to try again"),
        (RuntimeError("parser bug"), "RuntimeError: parser bug"),
    ],
)
async def test_a_document_whose_indexing_keeps_failing_ends_failed_with_the_reason(
    error: Exception, reason: str
) -> None:
    embedder = FlakyEmbedder(error, failures=2)
    async with memory_app(InProcessJobsProvider(), _embedder_provider(embedder), **FAST_JOBS) as app:
        document = await _upload_and_wait(app)
        assert (document.status, document.failure_reason) == (DocumentStatus.FAILED, reason)

        [failed] = await app.dispatch(ListJobs(statuses=("failed",)))
        assert (failed.key, failed.command, failed.attempts) == (f"index:{document.id}", "IndexDocument", 2)
        assert await app.dispatch(ListJobs()) == [failed]

        await app.dispatch(RetryJob(job_id=failed.id))  # the embedder works again now
        await _drain(app)
        again = await app.dispatch(GetDocument(owner_id=document.owner_id, document_id=document.id))
        assert again.status is DocumentStatus.READY
        assert await app.dispatch(ListJobs()) == []


async def test_retrying_an_unknown_job_and_listing_a_bad_status_are_refused() -> None:
    async with memory_app(InProcessJobsProvider()) as app:
        with pytest.raises(NotFound):
            await app.dispatch(RetryJob(job_id="42"))
        with pytest.raises(InvalidInput):
            await app.dispatch(ListJobs(statuses=("exploded",)))


async def test_marking_failed_leaves_a_ready_document_alone_and_is_idempotent() -> None:
    async with memory_app() as app:
        owner, _ = await user_and_chat(app)
        document = await app.dispatch(UploadDocument(owner_id=owner, filename="a.md", content_type="",
                                                     data=b"# A\n\nSome text."))
        mark = MarkIndexingFailed(owner_id=owner, document_id=document.id, reason="gave up")
        assert await app.dispatch(mark) is True
        assert await app.dispatch(mark) is False
        failed = await app.dispatch(GetDocument(owner_id=owner, document_id=document.id))
        assert (failed.status, failed.failure_reason) == (DocumentStatus.FAILED, "gave up")

        await app.run_jobs()  # the original indexing job runs after all and succeeds
        ready = await app.dispatch(GetDocument(owner_id=owner, document_id=document.id))
        assert ready.status is DocumentStatus.READY
        assert await app.dispatch(mark) is False
        assert (await app.dispatch(GetDocument(owner_id=owner, document_id=document.id))).status is DocumentStatus.READY
