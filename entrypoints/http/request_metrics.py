from __future__ import annotations

import time
from collections.abc import Awaitable, Callable

from litestar.types import ASGIApp, Message, Receive, Scope, Send

from application.ports.telemetry import Telemetry


def request_metrics_middleware(app: ASGIApp, resolve: Callable[[], Awaitable[Telemetry]]) -> ASGIApp:
    """Counts and times every HTTP request by its route's template (the router writes ``path_template`` into
    the scope), so ``/documents/{document_id}`` is one series however many documents there are. The telemetry
    is resolved on first use (the app is built before the container starts anything)."""
    resolved: list[Telemetry] = []

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http",):
            await app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await app(scope, receive, send_status)
        finally:
            if not resolved:
                resolved.append(await resolve())
            route = str(scope.get("path_template") or "unmatched")
            method = str(scope.get("method", "GET"))
            resolved[0].request_finished(method, route, status, time.perf_counter() - started)

    return middleware
