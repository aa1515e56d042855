"""Embedded mode (no Redis): the job runner lives in the server process and its queue in PostgreSQL.

Queued and interrupted indexing survives a restart of the server (the real embedded PostgreSQL on a data
folder), and a runner that dies without a word (its connection, and so its liveness lock, gone) has its
running job taken over by another runner at once.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Sequence
from pathlib import Path

from dishka import Provider, Scope, provide
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.embedding.hashing_embedder import HashingEmbedder
from adapters.jobs.pg_job_queue import PgJobQueue
from adapters.jobs.pg_job_store import PgJobStore
from adapters.jobs.pg_job_table import RUNNER_LOCK_SPACE
from adapters.postgres.engine import create_engine
from application.commands import Command, IndexDocument, ListJobs
from application.ports.embedder import Embedder
from application.ports.job_queue import JobQueue
from application.ports.job_store import JobStatus
from application.retries import JobRetryRules
from domain.documents import DocumentStatus
from entrypoints.ioc import make_container
from tests.integration.jobs.conftest import Stack, markdown_book, stack_settings

DEADLINE_SECONDS = 180.0  # generous: the take-over test keeps every core busy


class StuckEmbedder:
    """Never finishes a batch: the server is 'stopped' while the job runs."""

    def __init__(self) -> None:
        self.called = asyncio.Event()

    @property
    def dimension(self) -> int:
        return 384

    async def embed_documents(
        self, texts: Sequence[str], *, owner_id: uuid.UUID | None = None
    ) -> list[list[float]]:
        self.called.set()
        await asyncio.Event().wait()
        raise AssertionError("unreachable")

    async def embed_query(self, text: str) -> list[float]:
        return await HashingEmbedder(384).embed_query(text)


def embedder_override(embedder: Embedder) -> Provider:
    class EmbedderProvider(Provider):
        @provide(scope=Scope.APP)
        def embedder(self) -> Embedder:
            return embedder

    return EmbedderProvider()


async def test_queued_and_interrupted_indexing_survive_a_server_restart(embedded_data_dir: Path) -> None:
    settings = stack_settings(embedded_data_dir, None, None, job_concurrency=1)
    stuck = StuckEmbedder()
    first_run = make_container(settings, embedder_override(stuck))
    try:
        await first_run.get(JobQueue)  # the server's lifespan starts the runner
        server = Stack(settings, first_run, await first_run.get(AsyncEngine))
        owner = await server.user()
        running = await server.upload(owner, "running.md", markdown_book(sections=20))
        queued = await server.upload(owner, "queued.md", markdown_book(sections=20, seed=8))
        await asyncio.wait_for(stuck.called.wait(), DEADLINE_SECONDS)
        jobs = {job.key: job.status for job in await server.dispatch(ListJobs())}
        assert jobs == {f"index:{running.id}": JobStatus.RUNNING, f"index:{queued.id}": JobStatus.QUEUED}
    finally:
        await first_run.close()  # the server stops (embedded PostgreSQL too) with one job running

    second_run = make_container(settings)
    try:
        await second_run.get(JobQueue)
        server = Stack(settings, second_run, await second_run.get(AsyncEngine))
        until = time.monotonic() + DEADLINE_SECONDS
        while await server.dispatch(ListJobs()):
            assert time.monotonic() < until, "the restarted server did not finish the jobs"
            await asyncio.sleep(0.05)
        for document in (running, queued):
            indexed = await server.document(owner, document.id)
            assert indexed.status is DocumentStatus.READY
            assert await server.chunk_ordinals(document.id) == list(range(indexed.chunks_total))
    finally:
        await second_run.close()


async def test_a_dead_runners_job_is_taken_over_at_once(pg_url: str, pg_engine: AsyncEngine,
                                                       busy_cores: int) -> None:
    rules = JobRetryRules(max_tries=3, base_delay=0.01, max_delay=0.01)
    started, ran = asyncio.Event(), []

    async def hang(command: Command) -> None:
        """The doomed runner's first run never ends. It lives on in this process, though: having lost its
        lock, it hands its run back and may claim the job again under a new lock, and then it finishes."""
        if not started.is_set():
            started.set()
            await asyncio.Event().wait()
        ran.append(command)

    async def finish(command: Command) -> None:
        ran.append(command)

    async def ignore(command: Command, reason: str) -> None:
        raise AssertionError(reason)

    doomed_engine = create_engine(pg_url)
    doomed = PgJobQueue(doomed_engine, hang, rules=rules, on_failure=ignore, poll_seconds=0.05)
    await doomed.start()
    command = IndexDocument(owner_id=uuid.uuid4(), document_id=uuid.uuid4())
    await doomed.enqueue(command, key="index:doomed")
    await asyncio.wait_for(started.wait(), DEADLINE_SECONDS)

    async with pg_engine.connect() as connection:  # the process dies: PostgreSQL drops its session
        await connection.execute(
            text("SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND classid = :space"),
            {"space": RUNNER_LOCK_SPACE},
        )
    survivor = PgJobQueue(pg_engine, finish, rules=rules, on_failure=ignore, poll_seconds=0.05)
    await survivor.start()  # finds the running job without a live runner and queues it again
    store = PgJobStore(pg_engine)
    try:
        until = time.monotonic() + DEADLINE_SECONDS
        while await store.list(frozenset({JobStatus.QUEUED, JobStatus.RUNNING})):
            assert time.monotonic() < until, "the survivor never ran the job"
            await asyncio.sleep(0.02)
        assert ran == [command]
    finally:
        await survivor.stop()
        await doomed.stop()  # its own late bookkeeping must not undo the survivor's
        await doomed_engine.dispose()
    async with pg_engine.connect() as connection:
        rows = (await connection.execute(text("SELECT status, attempts FROM jobs"))).all()
    assert [row.status for row in rows] == ["done"]
    assert rows[0].attempts <= 2  # the hung run and the one that finished (a handed-back run is refunded)
