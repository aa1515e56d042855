from __future__ import annotations

import logging

from adapters.prometheus.listener import MetricsListener
from adapters.prometheus.telemetry import PrometheusTelemetry
from entrypoints.settings import Settings

log = logging.getLogger(__name__)


def serve_worker_metrics(settings: Settings, telemetry: PrometheusTelemetry) -> MetricsListener | None:
    """``RAGCHAT_WORKER_METRICS_PORT`` set: the worker's metrics on ``RAGCHAT_HOST:<port>/metrics`` (port 0 picks
    a free one, logged), behind ``RAGCHAT_METRICS_TOKEN`` when that is set."""
    if settings.worker_metrics_port is None:
        return None
    listener = MetricsListener(telemetry, settings.host, settings.worker_metrics_port, settings.metrics_token)
    log.info("worker metrics listening", extra={"url": f"http://{settings.host}:{listener.port}/metrics"})
    return listener.start()
