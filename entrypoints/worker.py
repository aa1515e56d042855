"""The arq worker of the Redis mode (``ragchat worker``), wired with dishka.

One arq function, ``dispatch``, runs every job: it decodes the command (MessagePack, the same serializer the
API used to enqueue it) and dispatches it on the bus in a fresh request scope, like an HTTP request. Retries,
backoff and failure records follow ``JobRetryRules`` (``ArqJobExecutor``). Each worker holds a lease renewed from
a thread (``WorkerLease``); the sweeper, which every worker runs periodically, frees the jobs of workers whose
lease has lapsed (a worker killed with ``kill -9`` holds its jobs' in-progress keys until then), re-queues
documents whose job vanished and re-pushes unanswered messages.
"""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import socket
from collections.abc import Awaitable, Callable
from typing import Any

from arq.worker import Worker, func
from dishka import Provider

from adapters.jobs.arq_job_executor import ArqJobExecutor
from adapters.jobs.arq_names import FUNCTION, ArqNames
from adapters.jobs.command_codec import deserialize_envelope, serialize_envelope
from adapters.jobs.job_attempt import Dispatch, OnFailure
from adapters.jobs.periodic import Periodic
from adapters.jobs.worker_lease import WorkerLease
from adapters.prometheus.telemetry import PrometheusTelemetry
from application.commands import SweepStuckWork
from application.retries import JobRetryRules
from entrypoints.ioc import make_container
from entrypoints.ioc.jobs import arq_redis_settings, counted, record_failure, timed
from entrypoints.ioc.scoped_dispatch import dispatch_in_request
from entrypoints.readiness import ReadinessProbe
from entrypoints.settings import Settings
from entrypoints.settings_loading import SettingsError
from entrypoints.vector_schema import VectorSchemaCheck
from entrypoints.worker_metrics import serve_worker_metrics

log = logging.getLogger(__name__)

POLL_SECONDS = 0.1
"""arq starts new jobs only when it polls the queue, so the poll interval caps a worker's throughput at about
``job_concurrency / POLL_SECONDS`` short jobs per second; a poll is one cheap ZRANGEBYSCORE."""
ARQ_TIMEOUT_MARGIN_SECONDS = 30.0
"""arq's own timeout is longer than ours, so a slow job ends through our rules (retry, then failed)."""


async def run_job(ctx: dict[str, Any], payload: bytes) -> str:
    """The arq function ``dispatch``: thin by design, everything else is in ``ArqJobExecutor``."""
    executor: ArqJobExecutor = ctx["executor"]
    return await executor.run(ctx["job_id"], ctx["job_try"], payload)


def new_worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"


def build_worker(settings: Settings, *, dispatch: Dispatch, on_failure: OnFailure, rules: JobRetryRules,
                 sweep: Callable[[], Awaitable[object]] | None = None, burst: bool = False,
                 handle_signals: bool = True, poll_delay: float = POLL_SECONDS) -> Worker:
    """An arq worker whose one function hands each job to ``ArqJobExecutor(dispatch)``; ``sweep`` (if any)
    runs every ``sweep_interval_seconds`` while it works."""
    if settings.redis_url is None:
        raise SettingsError("`ragchat worker` needs REDIS_URL; without it `ragchat serve` runs the jobs itself")
    names = ArqNames(settings.redis_prefix)
    worker_id = new_worker_id()
    health_key = names.health_key(worker_id)
    health_ttl_ms = int((settings.worker_health_check_seconds + 1) * 1000)
    sweeper = Periodic("jobs:sweeper", settings.sweep_interval_seconds, sweep) if sweep is not None else None
    lease = WorkerLease(settings.redis_url, names.lease_key(worker_id), settings.worker_lease_seconds)

    async def on_startup(ctx: dict[str, Any]) -> None:
        # Alive before the first job starts, so no sweeper mistakes our first jobs for a dead worker's.
        await asyncio.to_thread(lease.start)
        await ctx["redis"].psetex(health_key, health_ttl_ms, b"starting")
        ctx["executor"] = ArqJobExecutor(ctx["redis"], names, worker_id, dispatch, rules=rules,
                                         on_failure=on_failure, timeout_seconds=settings.job_timeout_seconds)
        if sweeper is not None:
            sweeper.start()
        log.info("worker started", extra={"worker_id": worker_id, "queue": names.queue})

    async def on_shutdown(ctx: dict[str, Any]) -> None:
        if sweeper is not None:
            await sweeper.stop()
        await asyncio.to_thread(lease.stop)

    arq_timeout = settings.job_timeout_seconds + ARQ_TIMEOUT_MARGIN_SECONDS
    return Worker(
        functions=[func(run_job, name=FUNCTION, timeout=arq_timeout, max_tries=rules.max_tries + 1)],
        queue_name=names.queue,
        redis_settings=arq_redis_settings(settings),
        burst=burst,
        handle_signals=handle_signals,
        job_completion_wait=max(0, round(settings.drain_seconds)),  # SIGTERM: stop taking jobs, let these finish
        on_startup=on_startup,
        on_shutdown=on_shutdown,
        max_jobs=settings.job_concurrency,
        job_timeout=arq_timeout,
        keep_result=0,  # a finished job leaves nothing behind, so its key may be queued again (re-index)
        poll_delay=poll_delay,
        health_check_interval=settings.worker_health_check_seconds,
        health_check_key=health_key,
        allow_abort_jobs=True,
        job_serializer=serialize_envelope,
        job_deserializer=deserialize_envelope,
        log_results=False,
    )


async def run_worker(settings: Settings, *overrides: Provider, burst: bool = False, handle_signals: bool = True,
                     sweep: bool = True) -> Worker:
    """Runs until stopped or, with ``burst``, until the queue is empty. SIGINT/SIGTERM: no new job starts,
    running ones get ``RAGCHAT_DRAIN_SECONDS`` to finish, the rest are cancelled and queued again at once.
    Returns the finished worker (its counters tell tests what ran)."""
    container = make_container(settings, *overrides)
    try:
        await container.get(ReadinessProbe)  # database up and migrated before the first job
        await (await container.get(VectorSchemaCheck)).verify()
        telemetry = await container.get(PrometheusTelemetry)
        metrics_server = serve_worker_metrics(settings, telemetry)
        worker = build_worker(
            settings,
            dispatch=timed(lambda command: dispatch_in_request(container, command), telemetry),
            on_failure=counted(lambda command, reason: record_failure(container, command, reason), telemetry),
            rules=await container.get(JobRetryRules),
            sweep=(lambda: dispatch_in_request(container, SweepStuckWork())) if sweep else None,
            burst=burst,
            handle_signals=handle_signals,
        )
        try:
            await worker.async_run()
        except asyncio.CancelledError:
            log.info("worker stopping")
        finally:
            await worker.close()
            if metrics_server is not None:
                metrics_server.shutdown()
        return worker
    finally:
        await container.close()
