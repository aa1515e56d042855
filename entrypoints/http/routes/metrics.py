from __future__ import annotations

from typing import Any

from dishka.integrations.litestar import FromDishka, inject
from litestar import Request, Response, get

from adapters.prometheus.telemetry import CONTENT_TYPE
from entrypoints.metrics import MetricsExporter, metrics_access
from entrypoints.settings import Settings


@get("/metrics", tags=["ops"], include_in_schema=False)
@inject
async def metrics(
    request: Request[Any, Any, Any],
    settings: FromDishka[Settings],
    exporter: FromDishka[MetricsExporter],
) -> Response[bytes]:
    """Prometheus text format, this process only (scrape every replica). See docs/operations.md."""
    access = metrics_access(settings, request.headers.get("authorization"))
    if access is None:
        return Response(b"metrics are off: set RAGCHAT_METRICS_TOKEN\n", status_code=404, media_type="text/plain")
    if not access:
        return Response(
            b"a valid bearer token is required\n",
            status_code=401,
            media_type="text/plain",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return Response(await exporter.render(), media_type=CONTENT_TYPE)
