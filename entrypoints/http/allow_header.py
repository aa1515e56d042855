"""``OPTIONS`` answers with every method its path supports.

Litestar builds a path's automatic ``OPTIONS`` handler with the first route registered for it and keeps that
handler when more methods join the path later (``/chats`` said ``OPTIONS, POST`` without ``GET``). The methods
are read from the finished app instead and the ``Allow`` header of ``OPTIONS`` responses is set from them.
"""

from __future__ import annotations

from litestar import Litestar
from litestar.enums import ScopeType
from litestar.routes import HTTPRoute
from litestar.types import ASGIApp, Message, Receive, Scope, Send


def allow_header_middleware(app: ASGIApp, litestar: Litestar) -> ASGIApp:
    allowed = {
        route.path_format: ", ".join(sorted(route.methods)).encode()
        for route in litestar.routes
        if isinstance(route, HTTPRoute)
    }

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP or scope.get("method") != "OPTIONS":
            await app(scope, receive, send)
            return

        async def send_with_allow(message: Message) -> None:
            methods = allowed.get(scope.get("path_template", ""))  # set by the router once the path matched
            if message["type"] == "http.response.start" and methods is not None:
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"allow"]
                message["headers"] = [*headers, (b"allow", methods)]
            await send(message)

        await app(scope, receive, send_with_allow)

    return middleware
