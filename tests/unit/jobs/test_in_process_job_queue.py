"""The in-process runner (the unit tests' queue and the twin of the durable ones): one job per key, bounded
retries with backoff, then a failed job that is listed, recorded and retryable."""

from __future__ import annotations

import asyncio
import uuid

import pytest

from adapters.jobs.in_process_job_queue import InProcessJobQueue
from application.commands import Command, IndexDocument
from application.errors import StorageUnavailable
from application.ports.job_store import JobStatus
from application.retries import JobRetryRules
from domain.errors import InvalidInput, NotFound

FAST = JobRetryRules(max_tries=3, base_delay=0.001, max_delay=0.001)
ALL = frozenset(JobStatus)


def _command() -> IndexDocument:
    return IndexDocument(owner_id=uuid.uuid4(), document_id=uuid.uuid4())


class Script:
    """A dispatch that raises the queued errors in turn, then succeeds; counts every run."""

    def __init__(self, *errors: Exception) -> None:
        self.errors = list(errors)
        self.runs: list[Command] = []
        self.failures: list[tuple[Command, str]] = []
        self.gate: asyncio.Event | None = None

    async def dispatch(self, command: Command) -> None:
        self.runs.append(command)
        if self.gate is not None:
            await self.gate.wait()
        if self.errors:
            raise self.errors.pop(0)

    async def on_failure(self, command: Command, reason: str) -> None:
        self.failures.append((command, reason))

    def queue(self) -> InProcessJobQueue:
        return InProcessJobQueue(self.dispatch, FAST, self.on_failure)


async def test_a_key_queued_or_running_is_not_queued_again_but_a_finished_one_is() -> None:
    script = Script()
    script.gate = asyncio.Event()
    queue, command = script.queue(), _command()
    await queue.enqueue(command, key="index:1")
    await queue.enqueue(command, key="index:1")
    assert await queue.is_active("index:1")
    script.gate.set()
    await queue.drain()
    assert len(script.runs) == 1
    assert not await queue.is_active("index:1")

    await queue.enqueue(command, key="index:1")  # a re-index after completion runs
    await queue.drain()
    assert len(script.runs) == 2


async def test_transient_failures_are_retried_until_the_job_succeeds() -> None:
    script = Script(StorageUnavailable("db down"), RuntimeError("blip"))
    queue = script.queue()
    await queue.enqueue(_command(), key="k")
    await queue.drain()
    assert len(script.runs) == 3
    assert await queue.list(ALL) == []
    assert script.failures == []


async def test_a_job_failing_every_try_is_failed_recorded_and_can_be_retried() -> None:
    script = Script(*(StorageUnavailable("db down") for _ in range(3)))
    queue, command = script.queue(), _command()
    await queue.enqueue(command, key="index:x")
    await queue.drain()
    [failed] = await queue.list(frozenset({JobStatus.FAILED}))
    assert (failed.key, failed.command, failed.attempts, failed.last_error) == (
        "index:x", "IndexDocument", 3, "db down")
    assert script.failures == [(command, "db down")]

    retried = await queue.retry(failed.id)
    assert retried is not None and retried.key == "index:x"
    await queue.drain()
    assert len(script.runs) == 4
    assert await queue.list(ALL) == []
    assert await queue.retry(failed.id) is None


async def test_a_use_case_refusal_fails_at_once_and_a_vanished_target_is_dropped() -> None:
    script = Script(InvalidInput("bad"), NotFound("document not found"))
    queue = script.queue()
    await queue.enqueue(_command(), key="a")
    await queue.drain()
    await queue.enqueue(_command(), key="b")
    await queue.drain()
    assert len(script.runs) == 2
    assert [(r.key, r.attempts) for r in await queue.list(ALL)] == [("a", 1)]
    assert [reason for _, reason in script.failures] == ["bad"]


async def test_max_tries_one_runs_once() -> None:
    script = Script(RuntimeError("boom"))
    queue = InProcessJobQueue(script.dispatch, max_tries=1)
    await queue.enqueue(_command(), key="turn:1")
    await queue.drain()
    assert len(script.runs) == 1


async def test_a_try_that_outlives_the_timeout_counts_as_a_failed_try() -> None:
    never = asyncio.Event()
    runs: list[Command] = []

    async def hang(command: Command) -> None:
        runs.append(command)
        await never.wait()

    failures: list[str] = []

    async def record(command: Command, reason: str) -> None:
        failures.append(reason)

    queue = InProcessJobQueue(hang, FAST, record, timeout_seconds=0.01)
    await queue.enqueue(_command(), key="k")
    await asyncio.wait_for(queue.drain(), 30)
    assert len(runs) == FAST.max_tries
    assert failures == ["TimeoutError"]


async def test_a_failing_failure_hook_is_logged_and_does_not_break_the_runner(
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def refuse(command: Command) -> None:
        raise InvalidInput("no")

    async def broken_hook(command: Command, reason: str) -> None:
        raise RuntimeError("the recorder is down")

    queue = InProcessJobQueue(refuse, FAST, broken_hook)
    await queue.enqueue(_command(), key="k")
    await asyncio.wait_for(queue.drain(), 30)
    [failed] = await queue.list(frozenset({JobStatus.FAILED}))
    assert failed.last_error == "no"
    assert [r.message for r in caplog.records if r.levelname == "ERROR"] == ["could not record a failed job"]
    await queue.enqueue(_command(), key="k2")  # still takes jobs
    await asyncio.wait_for(queue.drain(), 30)
    assert len(await queue.list(frozenset({JobStatus.FAILED}))) == 2
