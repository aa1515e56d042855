"""The worker's metrics listener: Prometheus text on /metrics, behind a bearer token when one is set."""

from __future__ import annotations

import asyncio

import httpx

from adapters.prometheus.listener import MetricsListener
from adapters.prometheus.telemetry import PrometheusTelemetry


async def test_the_listener_serves_the_workers_metrics_behind_its_token() -> None:
    telemetry = PrometheusTelemetry()
    telemetry.job_finished("IndexDocument", "done", 1.0)
    listener = MetricsListener(telemetry, "127.0.0.1", 0, token="w0rker").start()
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{listener.port}", timeout=10) as http:
            assert (await http.get("/metrics")).status_code == 401
            response = await http.get("/metrics", headers={"Authorization": "Bearer w0rker"})
            assert response.status_code == 200
            assert 'ragchat_jobs_total{job="IndexDocument",outcome="done"} 1.0' in response.text
            assert (await http.get("/elsewhere", headers={"Authorization": "Bearer w0rker"})).status_code == 404
    finally:
        await asyncio.to_thread(listener.shutdown)
