"""Gives every HTTP request and WebSocket session an id, echoed in ``X-Request-ID`` and in every log line."""

from __future__ import annotations

import logging
import re
import time

from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from entrypoints.request_context import new_id, request_id_var, session_id_var, user_id_var

log = logging.getLogger("ragchat.access")
_VALID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def request_id_middleware(app: ASGIApp) -> ASGIApp:
    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in (ScopeType.HTTP, ScopeType.WEBSOCKET):
            await app(scope, receive, send)
            return
        incoming = dict(scope["headers"]).get(b"x-request-id", b"").decode("latin-1")
        rid = incoming if _VALID.match(incoming) else new_id()
        tokens = [request_id_var.set(rid), user_id_var.set(None)]
        session_token = session_id_var.set(rid) if scope["type"] == ScopeType.WEBSOCKET else None
        started = time.perf_counter()
        status = 0

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", []), (b"x-request-id", rid.encode())]
            await send(message)

        try:
            await app(scope, receive, send_with_id)
        finally:
            if scope["type"] == ScopeType.HTTP:
                log.info(
                    "request",
                    extra={
                        "method": scope.get("method"),
                        "path": scope.get("path"),
                        "status": status,
                        "ms": round((time.perf_counter() - started) * 1000, 1),
                    },
                )
            request_id_var.reset(tokens[0])
            user_id_var.reset(tokens[1])
            if session_token is not None:
                session_id_var.reset(session_token)

    return middleware
