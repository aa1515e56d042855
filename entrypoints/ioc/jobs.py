"""Background jobs: which queue runs them (by settings) and what the job use cases need.

- ``REDIS_URL`` unset (embedded): ``DurableJobsProvider``, the PostgreSQL-backed runner inside this process,
  with the periodic sweeper. It starts when ``JobQueue`` is first resolved (the app's lifespan does that).
- ``REDIS_URL`` set: ``ArqJobsProvider``; API processes only enqueue, ``ragchat worker`` runs the jobs.
- Unit tests: ``InProcessJobsProvider`` (nothing durable) with the in-memory twins of ``tests/support``.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator

from arq.connections import ArqRedis, RedisSettings, create_pool
from dishka import AsyncContainer, Provider, Scope, alias, provide
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.jobs.arq_job_queue import ArqJobQueue
from adapters.jobs.arq_job_store import ArqJobStore
from adapters.jobs.arq_names import ArqNames
from adapters.jobs.command_codec import deserialize_envelope, serialize_envelope
from adapters.jobs.in_process_job_queue import InProcessJobQueue
from adapters.jobs.job_attempt import Dispatch, OnFailure
from adapters.jobs.periodic import Periodic
from adapters.jobs.pg_job_queue import PgJobQueue
from adapters.jobs.pg_job_store import PgJobStore
from application.commands import AnyCommand, SweepStuckWork
from application.ports.job_queue import JobQueue
from application.ports.job_store import JobStore
from application.ports.telemetry import Telemetry
from application.retries import JobRetryRules
from application.use_cases.jobs.job_failures import failure_follow_up
from entrypoints.ioc.background_work import JobPoliciesProvider, PgBackgroundWorkProvider
from entrypoints.ioc.scoped_dispatch import dispatch_in_request
from entrypoints.settings import Settings


async def record_failure(container: AsyncContainer, command: AnyCommand, reason: str) -> None:
    follow_up = failure_follow_up(command, reason)
    if follow_up is not None:
        await dispatch_in_request(container, follow_up)


def timed(dispatch: Dispatch, telemetry: Telemetry) -> Dispatch:
    """Each job run reported to telemetry by its command's name: ``done`` or ``error``."""

    async def run(command: AnyCommand) -> object:
        started = time.monotonic()
        outcome = "error"
        try:
            result = await dispatch(command)
            outcome = "done"
            return result
        finally:
            telemetry.job_finished(type(command).__name__, outcome, time.monotonic() - started)

    return run


def counted(on_failure: OnFailure, telemetry: Telemetry) -> OnFailure:
    async def record(command: AnyCommand, reason: str) -> object:
        telemetry.job_given_up(type(command).__name__)
        return await on_failure(command, reason)

    return record


def stale_after_seconds(settings: Settings) -> float:
    """A run not settled this long after its timeout was lost; the sweeper queues it again."""
    return settings.job_timeout_seconds + 120.0


class InProcessJobsProvider(Provider):
    """Jobs as tasks of this process, nothing durable: unit tests and throwaway in-memory apps."""

    @provide(scope=Scope.APP)
    async def queue(self, container: AsyncContainer, rules: JobRetryRules,
                    settings: Settings) -> AsyncIterator[InProcessJobQueue]:
        queue = InProcessJobQueue(lambda command: dispatch_in_request(container, command), rules,
                                  lambda command, reason: record_failure(container, command, reason),
                                  timeout_seconds=settings.job_timeout_seconds)
        yield queue
        await queue.close()

    job_queue = alias(source=InProcessJobQueue, provides=JobQueue)
    job_store = alias(source=InProcessJobQueue, provides=JobStore)


class DurableJobsProvider(Provider):
    """Embedded mode: the PostgreSQL-backed runner and the sweeper run inside this process."""

    @provide(scope=Scope.APP)
    def store(self, engine: AsyncEngine, settings: Settings) -> JobStore:
        return PgJobStore(engine, stale_after_seconds(settings))

    @provide(scope=Scope.APP)
    async def queue(self, engine: AsyncEngine, container: AsyncContainer, rules: JobRetryRules,
                    settings: Settings, telemetry: Telemetry) -> AsyncIterator[JobQueue]:
        runner = PgJobQueue(
            engine, timed(lambda command: dispatch_in_request(container, command), telemetry), rules=rules,
            on_failure=counted(lambda command, reason: record_failure(container, command, reason), telemetry),
            concurrency=settings.job_concurrency, timeout_seconds=settings.job_timeout_seconds,
        )
        await runner.start()
        sweeper = Periodic("jobs:sweeper", settings.sweep_interval_seconds,
                           lambda: dispatch_in_request(container, SweepStuckWork()))
        sweeper.start()
        try:
            yield runner
        finally:
            await sweeper.stop()
            await runner.stop()


def arq_redis_settings(settings: Settings) -> RedisSettings:
    assert settings.redis_url is not None
    return RedisSettings.from_dsn(settings.redis_url)


class ArqJobsProvider(Provider):
    """``REDIS_URL`` set: jobs go to arq; ``ragchat worker`` processes run them (``entrypoints.worker``)."""

    scope = Scope.APP

    @provide
    def names(self, settings: Settings) -> ArqNames:
        return ArqNames(settings.redis_prefix)

    @provide
    async def pool(self, settings: Settings, names: ArqNames) -> AsyncIterator[ArqRedis]:
        pool = await create_pool(arq_redis_settings(settings), job_serializer=serialize_envelope,
                                 job_deserializer=deserialize_envelope, default_queue_name=names.queue)
        yield pool
        await pool.aclose()

    @provide
    def queue(self, pool: ArqRedis, names: ArqNames) -> JobQueue:
        return ArqJobQueue(pool, names)

    @provide
    def store(self, pool: ArqRedis, names: ArqNames, settings: Settings) -> JobStore:
        """A job taken but unclaimed is freed only after a lease's length: a worker starved of CPU may take
        that long to start what it took, and must not find it started a second time."""
        return ArqJobStore(pool, names, unclaimed_grace_seconds=settings.worker_lease_seconds)


def jobs_providers(settings: Settings) -> list[Provider]:
    """The choice by settings; ``default_providers`` appends these."""
    queue: Provider = DurableJobsProvider() if settings.redis_url is None else ArqJobsProvider()
    return [JobPoliciesProvider(), PgBackgroundWorkProvider(), queue]
