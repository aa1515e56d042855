from __future__ import annotations

import msgspec
from dishka.integrations.litestar import FromDishka, inject
from litestar import Response, get
from litestar.openapi import ResponseSpec

from entrypoints.readiness import ReadinessProbe, ReadinessReport


class Health(msgspec.Struct, frozen=True):
    status: str


@get("/health", tags=["ops"], sync_to_thread=False)
def health() -> Health:
    """The process is alive and serving; says nothing about its dependencies (that is /ready)."""
    return Health(status="ok")


@get(
    "/ready",
    tags=["ops"],
    responses={503: ResponseSpec(ReadinessReport, description="A dependency does not answer: the failing checks")},
)
@inject
async def ready(probe: FromDishka[ReadinessProbe]) -> Response[ReadinessReport]:
    """Every dependency answers: 200 when ready, 503 with the failing checks otherwise."""
    report = await probe.check()
    return Response(report, status_code=200 if report.ready else 503)
