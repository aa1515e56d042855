"""`/chat/ws?chat_id=…`: origin check, authentication (first frame or ``Sec-WebSocket-Protocol: bearer, <token>``),
ownership, then a ``snapshot`` frame and the session. The token is never read from the URL, never logged."""

from __future__ import annotations

import asyncio
import logging
import uuid
from typing import Any
from urllib.parse import urlsplit

import msgspec
from litestar import WebSocket, websocket

from application.bus import CommandBus
from application.commands import GetMe, OpenChatSession
from application.frames import AuthFrame, SnapshotFrame
from application.ports.access_tokens import AccessTokens
from application.ports.frame_bus import FrameBus
from application.ports.telemetry import Telemetry
from domain.errors import DomainError, InvalidToken
from domain.snapshots import ChatSnapshot
from entrypoints.drain import CLOSE_SERVICE_RESTART, Drain
from entrypoints.http.chat_socket.rate_limit import PerKeyBuckets
from entrypoints.http.chat_socket.session import ChatSession
from entrypoints.request_context import user_id_var
from entrypoints.settings import Settings

log = logging.getLogger(__name__)
CLOSE_POLICY = 1008
_auth_decoder = msgspec.json.Decoder(AuthFrame)


def origin_allowed(origin: str | None, host: str | None, allowed: list[str]) -> bool:
    """Browsers always send Origin: it must be this server or an allowed one. Non-browser clients send none."""
    if not origin:
        return True
    if origin in allowed or "*" in allowed:
        return True
    return urlsplit(origin).netloc == (host or "")


def _bearer_subprotocol(socket: WebSocket[Any, Any, Any]) -> str | None:
    offered = [p.strip() for p in socket.headers.get("sec-websocket-protocol", "").split(",") if p.strip()]
    if len(offered) == 2 and offered[0].lower() == "bearer":
        return offered[1]
    return None


async def _authenticate(
    socket: WebSocket[Any, Any, Any], tokens: AccessTokens, wait_seconds: float
) -> tuple[uuid.UUID, float]:
    """The user and how many seconds their token has left."""
    if (token := _bearer_subprotocol(socket)) is not None:
        user_id = tokens.verify(token)
        await socket.accept(subprotocols="bearer")
        return user_id, tokens.seconds_left(token)
    await socket.accept()
    event = await asyncio.wait_for(socket.receive(), wait_seconds)
    if event["type"] == "websocket.disconnect":
        raise InvalidToken("disconnected before authenticating")
    try:
        frame = _auth_decoder.decode(event.get("text") or event.get("bytes") or "")
    except (msgspec.ValidationError, msgspec.DecodeError):
        raise InvalidToken("the first frame must be {\"type\": \"auth\", \"token\": …}") from None
    return tokens.verify(frame.token), tokens.seconds_left(frame.token)


@websocket("/chat/ws")
async def chat_socket(socket: WebSocket[Any, Any, Any]) -> None:
    container = socket.state.dishka_container
    settings = await container.get(Settings)
    drain = await container.get(Drain)
    if drain.draining:  # this replica is going away: the client reconnects, through the balancer, elsewhere
        await socket.accept()
        await socket.close(CLOSE_SERVICE_RESTART, "server restarting; reconnect")
        return
    if not origin_allowed(socket.headers.get("origin"), socket.headers.get("host"), settings.allowed_origins):
        await socket.close(CLOSE_POLICY, "origin not allowed")
        return
    try:
        chat_id = uuid.UUID(socket.query_params.get("chat_id", ""))
    except ValueError:
        await socket.accept()  # accepted first so the client sees the policy close code, not a bare 403
        await socket.close(CLOSE_POLICY, "chat_id is missing or not a UUID")
        return
    try:
        user_id, token_seconds = await _authenticate(
            socket, await container.get(AccessTokens), settings.ws_auth_timeout_seconds
        )
        user_id_var.set(str(user_id))
        async with container() as request:
            bus = await request.get(CommandBus)
            await bus.dispatch(GetMe(user_id=user_id))  # a disabled or deleted account cannot connect
            snapshot: ChatSnapshot = await bus.dispatch(OpenChatSession(owner_id=user_id, chat_id=chat_id))
    except (DomainError, TimeoutError) as exc:
        reason = exc.message if isinstance(exc, DomainError) else "authentication timed out"
        log.info("chat socket refused", extra={"reason": reason})
        await socket.close(CLOSE_POLICY, reason[:120])
        return
    log.info("chat socket open", extra={"chat_id": str(chat_id)})
    session = ChatSession(socket, container, settings, user_id, chat_id, snapshot,
                          await container.get(PerKeyBuckets), await container.get(FrameBus), token_seconds)
    telemetry = await container.get(Telemetry)
    telemetry.socket_opened()
    try:
        async with drain.socket(socket):
            await session.outbox.send_ephemeral(SnapshotFrame.of(snapshot))
            await session.run()
    finally:
        telemetry.socket_closed()
    log.info("chat socket closed", extra={"chat_id": str(chat_id)})
