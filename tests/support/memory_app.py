"""A container on the in-memory twins, for use-case tests through the bus (milliseconds, no services)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from dishka import AsyncContainer, Provider, Scope, provide

from adapters.memory.job_queue import RecordingJobQueue
from application.bus import CommandBus
from application.commands import Command
from application.ports.job_queue import JobQueue
from entrypoints.ioc import make_container
from entrypoints.ioc.persistence import MemoryPersistenceProvider
from entrypoints.ioc.retrieval import MemoryChunkIndexProvider
from entrypoints.settings import load_settings


class RecordingJobsProvider(Provider):
    @provide(scope=Scope.APP)
    def jobs(self) -> JobQueue:
        return RecordingJobQueue()


def memory_settings(**overrides: Any):  # type: ignore[no-untyped-def]
    return load_settings({}, embedder="hashing", jwt_secret="unit-test-secret-" + "x" * 32, **overrides)


def memory_container(*extra: Provider, **settings: Any) -> AsyncContainer:
    return make_container(
        memory_settings(**settings),
        MemoryPersistenceProvider(),
        MemoryChunkIndexProvider(),
        RecordingJobsProvider(),
        *extra,
    )


class MemoryApp:
    """Dispatches each command in its own request scope, as an HTTP request or a job would."""

    def __init__(self, container: AsyncContainer) -> None:
        self.container = container

    async def dispatch(self, command: Command) -> Any:
        async with self.container() as request:
            bus = await request.get(CommandBus)
            return await bus.dispatch(command)

    async def jobs(self) -> RecordingJobQueue:
        queue = await self.container.get(JobQueue)
        assert isinstance(queue, RecordingJobQueue)
        return queue

    async def run_jobs(self) -> int:
        """Runs queued jobs (and the jobs they queue) until none is left; returns how many ran."""
        queue, ran = await self.jobs(), 0
        while jobs := queue.take_all():
            for job in jobs:
                await self.dispatch(job)
                ran += 1
        return ran


@asynccontextmanager
async def memory_app(*extra: Provider, **settings: Any) -> AsyncIterator[MemoryApp]:
    container = memory_container(*extra, **settings)
    try:
        yield MemoryApp(container)
    finally:
        await container.close()
