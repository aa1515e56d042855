"""Headers every HTTP response carries, whatever produced it (route, error handler, static file, OPTIONS).

The Content-Security-Policy is strict because nothing we serve needs more: the web UI and the API reference load
scripts and styles only from this origin, with no inline script; ``frame-ancestors 'none'`` (with
``X-Frame-Options`` for old browsers) stops clickjacking; ``connect-src 'self'`` covers the API and the chat
WebSocket of the same origin. HSTS is sent only on HTTPS, where the browser heeds it.
"""

from __future__ import annotations

from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
SECURITY_HEADERS: dict[str, str] = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
}
HSTS = ("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
_ENCODED = [(name.lower().encode(), value.encode()) for name, value in SECURITY_HEADERS.items()]


def security_headers_middleware(app: ASGIApp) -> ASGIApp:
    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await app(scope, receive, send)
            return
        extra = list(_ENCODED)
        if scope.get("scheme") == "https":
            extra.append((HSTS[0].lower().encode(), HSTS[1].encode()))

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                message["headers"] = headers + [(name, value) for name, value in extra if name not in present]
            await send(message)

        await app(scope, receive, send_with_headers)

    return middleware
