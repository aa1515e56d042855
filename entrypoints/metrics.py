"""`/metrics`: who may read it, and the state sampled just before each scrape (queue, backlog, breaker)."""

from __future__ import annotations

import asyncio
import hmac
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from adapters.postgres.backlog import Backlog
from adapters.prometheus.telemetry import PrometheusTelemetry
from application.ports.job_store import JobStatus, JobStore
from entrypoints.settings import Settings

log = logging.getLogger(__name__)
SAMPLE_TIMEOUT_SECONDS = 2.0


def metrics_access(settings: Settings, authorization: str | None) -> bool | None:
    """True: serve. False: a token is required and this one is missing or wrong (401). None: metrics are off
    (404): production (``DATABASE_URL`` set) without ``RAGCHAT_METRICS_TOKEN``. The embedded mode serves them
    openly unless a token is set: it listens on 127.0.0.1 by default."""
    token = settings.metrics_token
    if token is None:
        return True if settings.embedded else None
    scheme, _, given = (authorization or "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode())


class MetricsExporter:
    def __init__(
        self,
        telemetry: PrometheusTelemetry,
        jobs: JobStore,
        backlog: Callable[[], Awaitable[Backlog | None]],
        breaker: Callable[[], Awaitable[str]],
    ) -> None:
        self._telemetry = telemetry
        self._jobs = jobs
        self._read_backlog = backlog
        self._read_breaker = breaker

    async def render(self) -> bytes:
        """Samples what lives outside this process (each source bounded by a timeout, a failing one logged and
        left at its last value), then renders every metric."""
        await asyncio.gather(
            self._sample("queue", self._queue),
            self._sample("backlog", self._backlog),
            self._sample("breaker", self._breaker),
        )
        return self._telemetry.render()

    async def _sample(self, name: str, sample: Callable[[], Awaitable[None]]) -> None:
        try:
            await asyncio.wait_for(sample(), SAMPLE_TIMEOUT_SECONDS)
        except Exception as exc:
            log.warning("metrics sample failed", extra={"source": name, "error": type(exc).__name__})

    async def _queue(self) -> None:
        queued = await self._jobs.list(frozenset({JobStatus.QUEUED}))
        times = [record.enqueued_at for record in queued if record.enqueued_at is not None]
        oldest = (datetime.now(UTC) - min(times)).total_seconds() if times else 0.0
        self._telemetry.observe_queue(len(queued), max(0.0, oldest))

    async def _backlog(self) -> None:
        backlog = await self._read_backlog()
        if backlog is not None:
            self._telemetry.observe_backlog(backlog.documents, backlog.unanswered)

    async def _breaker(self) -> None:
        self._telemetry.observe_breaker(await self._read_breaker())
