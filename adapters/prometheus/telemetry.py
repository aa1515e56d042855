"""``Telemetry`` as Prometheus metrics, one registry per process (each ``ragchat serve`` or ``ragchat worker`` is
one process, so there is nothing to aggregate across forks; Prometheus sums over the scraped targets)."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, ProcessCollector, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

CONTENT_TYPE = CONTENT_TYPE_LATEST
LATENCY_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0, 8.0, 13.0, 21.0, 34.0, 60.0)
REQUEST_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
JOB_BUCKETS = (0.05, 0.25, 1.0, 5.0, 15.0, 60.0, 300.0, 1800.0)


class PrometheusTelemetry:
    def __init__(self) -> None:
        self.registry = registry = CollectorRegistry()
        ProcessCollector(registry=registry)  # process_open_fds, resident memory, CPU seconds
        self._turns_in_flight = Gauge(
            "ragchat_turns_in_flight", "Chat turns running in this process", registry=registry
        )
        self._turns = Counter(
            "ragchat_turns", "Chat turns ended, by outcome (answered or the error code)", ["outcome"], registry=registry
        )
        self._first_token = Histogram(
            "ragchat_turn_first_token_seconds",
            "From turn start to its first token",
            buckets=LATENCY_BUCKETS,
            registry=registry,
        )
        self._turn_seconds = Histogram(
            "ragchat_turn_duration_seconds", "From turn start to its end", buckets=LATENCY_BUCKETS, registry=registry
        )
        self._jobs = Counter(
            "ragchat_jobs",
            "Background job runs ended, by job and outcome (done, error)",
            ["job", "outcome"],
            registry=registry,
        )
        self._jobs_given_up = Counter(
            "ragchat_jobs_given_up", "Jobs failed for good (see `ragchat jobs`)", ["job"], registry=registry
        )
        self._job_seconds = Histogram(
            "ragchat_job_duration_seconds", "Background job run time", ["job"], buckets=JOB_BUCKETS, registry=registry
        )
        self._sockets = Gauge("ragchat_websockets_open", "Chat WebSockets open on this process", registry=registry)
        self._sockets_opened = Counter("ragchat_websockets_opened", "Chat WebSockets accepted", registry=registry)
        self._requests = Counter(
            "ragchat_http_requests", "HTTP requests answered", ["method", "route", "status"], registry=registry
        )
        self._request_seconds = Histogram(
            "ragchat_http_request_duration_seconds",
            "HTTP request latency",
            ["method", "route"],
            buckets=REQUEST_BUCKETS,
            registry=registry,
        )
        self._pool = {
            name: Gauge(f"ragchat_db_pool_{name}", help_, registry=registry)
            for name, help_ in {
                "size": "Connections the pool keeps open",
                "checked_out": "Connections in use (idle-in-transaction ones count too)",
                "overflow": "Connections opened beyond the pool size",
                "waiters": "Tasks waiting for a connection (the pool is exhausted while this is above 0)",
            }.items()
        }
        self._breaker_open = Gauge(
            "ragchat_model_breaker_open", "1 while the model's circuit breaker is open", registry=registry
        )
        self._queue_depth = Gauge(
            "ragchat_job_queue_depth", "Background jobs queued and not yet started", registry=registry
        )
        self._queue_age = Gauge(
            "ragchat_job_queue_oldest_seconds", "Age of the oldest queued job (0 when empty)", registry=registry
        )
        self._documents_waiting = Gauge(
            "ragchat_documents_waiting", "Documents not yet indexed, by status", ["status"], registry=registry
        )
        self._unanswered = Gauge(
            "ragchat_messages_unanswered", "User messages still waiting for an answer", registry=registry
        )
        self._draining = Gauge(
            "ragchat_draining", "1 while this process drains before shutting down", registry=registry
        )

    # --- Telemetry ---------------------------------------------------------------------------------------
    def turn_started(self) -> None:
        self._turns_in_flight.inc()

    def first_token(self, seconds: float) -> None:
        self._first_token.observe(seconds)

    def turn_finished(self, outcome: str, seconds: float) -> None:
        self._turns_in_flight.dec()
        self._turns.labels(outcome).inc()
        self._turn_seconds.observe(seconds)

    def job_finished(self, job: str, outcome: str, seconds: float) -> None:
        self._jobs.labels(job, outcome).inc()
        self._job_seconds.labels(job).observe(seconds)

    def job_given_up(self, job: str) -> None:
        self._jobs_given_up.labels(job).inc()

    def socket_opened(self) -> None:
        self._sockets.inc()
        self._sockets_opened.inc()

    def socket_closed(self) -> None:
        self._sockets.dec()

    def request_finished(self, method: str, route: str, status: int, seconds: float) -> None:
        self._requests.labels(method, route, str(status)).inc()
        self._request_seconds.labels(method, route).observe(seconds)

    # --- sampled state (set by the entrypoints when scraped) ----------------------------------------------
    def track_pool(self, stats: Callable[[], Mapping[str, int]]) -> None:
        """Read at every scrape, from the pool itself (``size``, ``checked_out``, ``overflow``, ``waiters``)."""
        for name, gauge in self._pool.items():
            gauge.set_function(lambda name=name: float(stats().get(name, 0)))  # type: ignore[misc]

    def observe_breaker(self, state: str) -> None:
        self._breaker_open.set(1.0 if state == "open" else 0.0)

    def observe_queue(self, depth: int, oldest_seconds: float) -> None:
        self._queue_depth.set(depth)
        self._queue_age.set(oldest_seconds)

    def observe_backlog(self, documents: dict[str, int], unanswered: int) -> None:
        for status in ("pending", "indexing"):
            self._documents_waiting.labels(status).set(documents.get(status, 0))
        self._unanswered.set(unanswered)

    def set_draining(self, draining: bool) -> None:
        self._draining.set(1.0 if draining else 0.0)

    def render(self) -> bytes:
        return generate_latest(self.registry)
