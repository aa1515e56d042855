"""The job queue contract, same assertions on the three runners: the in-process twin, the embedded
PostgreSQL-backed runner and arq (a real redis-server, a worker in burst mode).

One job per key while it is queued or running, a finished key runs again, transient failures are retried,
a job failing every try ends failed (listed, recorded, retryable with a fresh set of tries).
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any, Protocol

import pytest
from arq.connections import RedisSettings, create_pool
from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.jobs.arq_job_queue import ArqJobQueue
from adapters.jobs.arq_job_store import ArqJobStore
from adapters.jobs.arq_names import ArqNames
from adapters.jobs.command_codec import deserialize_envelope, serialize_envelope
from adapters.jobs.in_process_job_queue import InProcessJobQueue
from adapters.jobs.pg_job_queue import PgJobQueue
from adapters.jobs.pg_job_store import PgJobStore
from adapters.jobs.pg_job_table import PgJobTable
from application.commands import Command, IndexDocument, RecordTokenUsage
from application.errors import StorageUnavailable
from application.ports.job_queue import JobQueue
from application.ports.job_store import JobStatus, JobStore
from application.retries import JobRetryRules
from entrypoints.settings_loading import load_settings
from entrypoints.worker import build_worker

RULES = JobRetryRules(max_tries=2, base_delay=0.01, max_delay=0.01)
UNFINISHED = frozenset({JobStatus.QUEUED, JobStatus.RUNNING})
IDLE_TIMEOUT_SECONDS = 30.0


class Script:
    """The work the jobs do: counts runs, fails while ``failures`` last, records final failures."""

    def __init__(self) -> None:
        self.runs: list[Command] = []
        self.failures = 0
        self.recorded: list[tuple[Command, str]] = []
        self.gate = asyncio.Event()
        self.gate.set()

    async def dispatch(self, command: Command) -> None:
        self.runs.append(command)
        await self.gate.wait()
        if self.failures > 0:
            self.failures -= 1
            raise StorageUnavailable("the database is unavailable")

    async def on_failure(self, command: Command, reason: str) -> None:
        self.recorded.append((command, reason))


class Runner(Protocol):
    async def run_until_idle(self) -> None: ...


@dataclass
class Backend:
    queue: JobQueue
    store: JobStore
    runner: Runner
    script: Script


class Drain:
    def __init__(self, queue: InProcessJobQueue) -> None:
        self._queue = queue

    async def run_until_idle(self) -> None:
        await self._queue.drain()


class WaitForStore:
    """The embedded runner works in the background; idle is when nothing is queued or running."""

    def __init__(self, store: JobStore) -> None:
        self._store = store

    async def run_until_idle(self) -> None:
        deadline = time.monotonic() + IDLE_TIMEOUT_SECONDS
        while await self._store.list(UNFINISHED):
            assert time.monotonic() < deadline, "the runner never finished its jobs"
            await asyncio.sleep(0.02)


class BurstWorker:
    def __init__(self, redis_url: str, prefix: str, script: Script) -> None:
        self._settings = load_settings({}, redis_url=redis_url, redis_prefix=prefix)
        self._script = script

    async def run_until_idle(self) -> None:
        worker = build_worker(
            self._settings,
            dispatch=self._script.dispatch,
            on_failure=self._script.on_failure,
            rules=RULES,
            burst=True,
            handle_signals=False,
            poll_delay=0.01,
        )
        try:
            await worker.async_run()
        finally:
            await worker.close()


@pytest.fixture(params=["memory", "postgres", "arq"])
def service(request: pytest.FixtureRequest) -> tuple[str, Any]:
    """Which runner, and the real service it needs (started by the session's fixtures)."""
    if request.param == "postgres":
        return "postgres", request.getfixturevalue("pg_engine")
    if request.param == "arq":
        return "arq", request.getfixturevalue("clean_redis").url
    return "memory", None


@pytest.fixture
async def backend(service: tuple[str, Any]) -> AsyncIterator[Backend]:
    kind, resource = service
    script = Script()
    if kind == "memory":
        queue = InProcessJobQueue(script.dispatch, RULES, script.on_failure)
        yield Backend(queue, queue, Drain(queue), script)
        await queue.close()
    elif kind == "postgres":
        engine = resource
        runner = PgJobQueue(engine, script.dispatch, rules=RULES, on_failure=script.on_failure, poll_seconds=0.05)
        await runner.start()
        store = PgJobStore(engine)
        yield Backend(runner, store, WaitForStore(store), script)
        await runner.stop()
    else:
        redis_url = resource
        names = ArqNames(f"test-{uuid.uuid4().hex[:8]}")
        pool = await create_pool(
            RedisSettings.from_dsn(redis_url),
            job_serializer=serialize_envelope,
            job_deserializer=deserialize_envelope,
            default_queue_name=names.queue,
        )
        yield Backend(
            ArqJobQueue(pool, names), ArqJobStore(pool, names), BurstWorker(redis_url, names.prefix, script), script
        )
        await pool.aclose()


def _command() -> IndexDocument:
    return IndexDocument(owner_id=uuid.uuid4(), document_id=uuid.uuid4())


async def test_a_key_runs_once_while_queued_and_again_once_finished(backend: Backend) -> None:
    command = _command()
    backend.script.gate.clear()  # a runner that took the first one is still running it
    await backend.queue.enqueue(command, key="index:a")
    await backend.queue.enqueue(command, key="index:a")
    assert await backend.store.is_active("index:a")
    backend.script.gate.set()
    await backend.runner.run_until_idle()
    assert backend.script.runs == [command]
    assert not await backend.store.is_active("index:a")

    await backend.queue.enqueue(command, key="index:a")  # e.g. a re-index after the first one finished
    await backend.runner.run_until_idle()
    assert backend.script.runs == [command, command]


async def test_a_transient_failure_is_retried(backend: Backend) -> None:
    backend.script.failures = 1
    await backend.queue.enqueue(_command(), key="index:b")
    await backend.runner.run_until_idle()
    assert len(backend.script.runs) == 2
    assert await backend.store.list(frozenset(JobStatus)) == []
    assert backend.script.recorded == []


async def test_a_job_failing_every_try_is_failed_recorded_and_retryable(backend: Backend) -> None:
    command = _command()
    backend.script.failures = RULES.max_tries
    await backend.queue.enqueue(command, key="index:c")
    await backend.runner.run_until_idle()

    [failed] = await backend.store.list(frozenset({JobStatus.FAILED}))
    assert (failed.key, failed.command, failed.status, failed.attempts, failed.last_error) == (
        "index:c",
        "IndexDocument",
        JobStatus.FAILED,
        RULES.max_tries,
        "the database is unavailable",
    )
    assert backend.script.recorded == [(command, "the database is unavailable")]
    assert await backend.store.list(UNFINISHED) == []
    assert not await backend.store.is_active("index:c")

    retried = await backend.store.retry(failed.id)
    assert retried is not None and retried.key == "index:c" and retried.status is JobStatus.QUEUED
    assert await backend.store.retry(failed.id) is None
    await backend.runner.run_until_idle()
    assert backend.script.runs == [command] * (RULES.max_tries + 1)
    assert await backend.store.list(frozenset(JobStatus)) == []


async def test_forgetting_an_owner_drops_their_failed_jobs_and_nobody_elses(backend: Backend) -> None:
    theirs, others = _command(), _command()
    backend.script.failures = 2 * RULES.max_tries
    await backend.queue.enqueue(theirs, key="index:theirs")
    await backend.queue.enqueue(others, key="index:others")
    await backend.runner.run_until_idle()
    assert len(await backend.store.list(frozenset({JobStatus.FAILED}))) == 2

    assert await backend.store.forget_owner(theirs.owner_id) == 1
    assert await backend.store.forget_owner(theirs.owner_id) == 0

    assert [job.key for job in await backend.store.list(frozenset(JobStatus))] == ["index:others"]


async def test_queueing_a_job_on_postgres_is_one_statement_in_autocommit(pg_engine: AsyncEngine) -> None:
    """Every chat turn queues two jobs: the one INSERT goes without BEGIN/COMMIT around it, stored at once."""
    sent: list[tuple[str, bool]] = []

    def record(connection: Any, cursor: Any, statement: str, *rest: Any) -> None:
        sent.append((statement.split()[0], connection.connection.dbapi_connection.autocommit))

    event.listen(pg_engine.sync_engine, "before_cursor_execute", record)
    table = PgJobTable(pg_engine)
    command = RecordTokenUsage(
        owner_id=uuid.uuid4(),
        chat_id=uuid.uuid4(),
        message_id=uuid.uuid4(),
        prompt_tokens=1,
        completion_tokens=1,
        estimated=False,
    )

    assert await table.insert(command, "usage:once") is True
    assert await table.insert(command, "usage:once") is False  # the key is taken while queued

    assert sent == [("INSERT", True), ("INSERT", True)]
    async with pg_engine.connect() as connection:
        assert (await connection.execute(text("SELECT count(*) FROM jobs WHERE key = 'usage:once'"))).scalar_one() == 1
