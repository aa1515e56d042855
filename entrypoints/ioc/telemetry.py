from __future__ import annotations

from dishka import Provider, Scope, alias, provide

from adapters.prometheus.telemetry import PrometheusTelemetry
from application.ports.job_store import JobStore
from application.ports.telemetry import Telemetry
from entrypoints.ioc.llm import ModelStatus
from entrypoints.ioc.persistence import DatabaseGauges
from entrypoints.metrics import MetricsExporter


class TelemetryProvider(Provider):
    """One Prometheus registry per process; the pool's gauges are read from the pool at every scrape."""

    scope = Scope.APP

    @provide
    def prometheus(self, database: DatabaseGauges) -> PrometheusTelemetry:
        telemetry = PrometheusTelemetry()
        telemetry.track_pool(database.pool)
        return telemetry

    telemetry = alias(source=PrometheusTelemetry, provides=Telemetry)

    @provide
    def exporter(
        self, telemetry: PrometheusTelemetry, jobs: JobStore, database: DatabaseGauges, model: ModelStatus
    ) -> MetricsExporter:
        return MetricsExporter(telemetry, jobs, database.backlog, model.status)
