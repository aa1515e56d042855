"""A container on the in-memory twins, for use-case tests through the bus (milliseconds, no services)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, TypeVar

from dishka import AsyncContainer, Provider, Scope, alias, provide

from adapters.auth.argon2_password_hasher import Argon2PasswordHasher
from adapters.auth.offloaded_password_hasher import OffloadedPasswordHasher
from adapters.inprocess.deferred_job_queue import DeferredJobQueue
from application.commands import Command
from application.ports.job_queue import JobQueue
from application.ports.job_store import JobStore
from application.ports.password_hasher import PasswordHasher
from application.ports.password_strength import PasswordStrength
from application.ports.turn_scheduler import TurnScheduler
from entrypoints.ioc import make_container
from entrypoints.ioc.scoped_dispatch import dispatch_in_request
from entrypoints.settings_loading import load_settings
from tests.support.memory_providers import (
    MemoryBackgroundWorkProvider,
    MemoryChunkIndexProvider,
    MemoryPersistenceProvider,
)
from tests.support.twins.password_strength import ListPasswordStrength
from tests.support.twins.turn_scheduler import RecordingTurnScheduler

R = TypeVar("R")


class RecordingJobsProvider(Provider):
    queue = provide(DeferredJobQueue, scope=Scope.APP)
    jobs = alias(source=DeferredJobQueue, provides=JobQueue)
    store = alias(source=DeferredJobQueue, provides=JobStore)  # it is its own JobStore

    @provide(scope=Scope.APP)
    def turns(self) -> TurnScheduler:
        return RecordingTurnScheduler()


class ListPasswordStrengthProvider(Provider):
    @provide(scope=Scope.APP)
    def strength(self) -> PasswordStrength:
        return ListPasswordStrength()


class CheapPasswordHashingProvider(Provider):
    """argon2id at its smallest cost: the service's own hasher and thread pool, a few milliseconds a hash
    instead of ~0.3 s of CPU (the default cost is the library's, tested in ``test_offloaded_password_hasher``)."""

    @provide(scope=Scope.APP)
    async def password_hasher(self) -> AsyncIterator[PasswordHasher]:
        hasher = OffloadedPasswordHasher(Argon2PasswordHasher(time_cost=1, memory_cost=64))
        yield hasher
        hasher.close()


def memory_settings(**overrides: Any):  # type: ignore[no-untyped-def]
    return load_settings({}, embedder="hashing", jwt_secret="unit-test-secret-" + "x" * 32, **overrides)


def memory_container(*extra: Provider, **settings: Any) -> AsyncContainer:
    return make_container(
        memory_settings(**settings),
        MemoryPersistenceProvider(),
        MemoryChunkIndexProvider(),
        RecordingJobsProvider(),
        MemoryBackgroundWorkProvider(),
        ListPasswordStrengthProvider(),
        CheapPasswordHashingProvider(),
        *extra,
    )


class MemoryApp:
    """Dispatches each command in its own request scope, as an HTTP request or a job would."""

    def __init__(self, container: AsyncContainer) -> None:
        self.container = container

    async def dispatch(self, command: Command[R]) -> R:
        return await dispatch_in_request(self.container, command)

    async def jobs(self) -> DeferredJobQueue:
        queue = await self.container.get(JobQueue)
        assert isinstance(queue, DeferredJobQueue)
        return queue

    async def turns(self) -> RecordingTurnScheduler:
        turns = await self.container.get(TurnScheduler)
        assert isinstance(turns, RecordingTurnScheduler)
        return turns

    async def run_jobs(self) -> int:
        """Runs scheduled turns and queued jobs (and what they schedule) until none is left; returns how many."""
        queue, turns, ran = await self.jobs(), await self.turns(), 0
        while work := [*turns.take_all(), *queue.take_all()]:
            for command in work:
                await self.dispatch(command)
                ran += 1
        return ran


@asynccontextmanager
async def memory_app(*extra: Provider, **settings: Any) -> AsyncIterator[MemoryApp]:
    container = memory_container(*extra, **settings)
    try:
        yield MemoryApp(container)
    finally:
        await container.close()
