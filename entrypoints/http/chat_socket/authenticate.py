"""Who is opening a chat socket: the page's origin (scheme and host), then the access token — from the
``Sec-WebSocket-Protocol: bearer, <token>`` pair or a first ``auth`` frame, never from the URL."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any
from urllib.parse import urlsplit

import msgspec
from litestar import WebSocket

from application.frames import AuthFrame
from application.ports.access_tokens import AccessTokens
from domain.errors import InvalidToken
from entrypoints.http.chat_socket.close_codes import PRE_AUTH_MAX_FRAME_BYTES
from entrypoints.http.client_address import ClientAddressResolver

_auth_decoder = msgspec.json.Decoder(AuthFrame)


def origin_allowed(socket: WebSocket[Any, Any, Any], addresses: ClientAddressResolver, allowed: list[str]) -> bool:
    """Browsers always send Origin: it must be this server — same scheme and host, so a page served over plain
    HTTP cannot open the socket of the HTTPS site — or an allowed one. Non-browser clients send none.

    The scheme the browser used is the connection's, or a trusted proxy's ``X-Forwarded-Proto``."""
    origin = socket.headers.get("origin")
    if not origin:
        return True
    if origin in allowed or "*" in allowed:
        return True
    secure = socket.url.scheme in ("wss", "https") or addresses.forwarded_proto(socket) in ("https", "wss")
    parts = urlsplit(origin)
    return parts.scheme == ("https" if secure else "http") and parts.netloc == socket.headers.get("host", "")


def bearer_subprotocol(socket: WebSocket[Any, Any, Any]) -> str | None:
    offered = [p.strip() for p in socket.headers.get("sec-websocket-protocol", "").split(",") if p.strip()]
    if len(offered) == 2 and offered[0].lower() == "bearer":
        return offered[1]
    return None


class AuthTimeout(Exception):
    pass


class PreAuthFrameTooBig(Exception):
    pass


def _size(raw: str | bytes) -> int:
    return len(raw.encode()) if isinstance(raw, str) else len(raw)


async def authenticate(
    socket: WebSocket[Any, Any, Any], tokens: AccessTokens, wait_seconds: float
) -> tuple[uuid.UUID, float]:
    """The user and how many seconds their token has left. Raises ``InvalidToken``, ``AuthTimeout`` and
    ``PreAuthFrameTooBig``."""
    if (token := bearer_subprotocol(socket)) is not None:
        await socket.accept(subprotocols="bearer")  # first, so a refusal arrives as a close code, not an HTTP 403
        return tokens.verify(token), tokens.seconds_left(token)
    await socket.accept()
    try:
        event = await asyncio.wait_for(socket.receive(), wait_seconds)
    except TimeoutError:
        raise AuthTimeout from None
    if event["type"] == "websocket.disconnect":
        raise InvalidToken("disconnected before authenticating")
    raw = event.get("text") or event.get("bytes") or ""
    if not isinstance(raw, str | bytes):
        raise InvalidToken('the first frame must be {"type": "auth", "token": …}')
    if _size(raw) > PRE_AUTH_MAX_FRAME_BYTES:
        raise PreAuthFrameTooBig
    try:
        frame = _auth_decoder.decode(raw)
    except (msgspec.ValidationError, msgspec.DecodeError):
        raise InvalidToken('the first frame must be {"type": "auth", "token": …}') from None
    return tokens.verify(frame.token), tokens.seconds_left(frame.token)
