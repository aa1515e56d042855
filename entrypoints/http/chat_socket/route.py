"""`/chat/ws?chat_id=…`: origin check, authentication (first frame or ``Sec-WebSocket-Protocol: bearer, <token>``),
ownership, the per-user socket cap, then a ``snapshot`` frame and the session. Every refusal is a distinct close
code (``close_codes``). The token is never read from the URL, never logged."""

from __future__ import annotations

import logging
import uuid
from typing import Any

from litestar import WebSocket, websocket

from application.bus import CommandBus
from application.chat.turn_starts import TurnStarts
from application.commands import GetMe, OpenChatSession
from application.frames import SnapshotFrame
from application.ports.access_tokens import AccessTokens
from application.ports.frame_bus import FrameBus
from application.ports.telemetry import Telemetry
from domain.errors import AccountDisabled, DomainError, InvalidToken, NotFound
from domain.snapshots import ChatSnapshot
from entrypoints.drain import CLOSE_SERVICE_RESTART, Drain
from entrypoints.http.chat_socket.account_watch import AccountWatch
from entrypoints.http.chat_socket.authenticate import AuthTimeout, PreAuthFrameTooBig, authenticate, origin_allowed
from entrypoints.http.chat_socket.close_codes import (
    CLOSE_AUTH_TIMEOUT,
    CLOSE_FORBIDDEN,
    CLOSE_POLICY,
    CLOSE_TOO_BIG,
    CLOSE_TOO_MANY_SOCKETS,
    CLOSE_UNAUTHORIZED,
)
from entrypoints.http.chat_socket.rate_limit import PerKeyBuckets
from entrypoints.http.chat_socket.session import ChatSession
from entrypoints.http.chat_socket.socket_cap import SocketCap, SocketCapReached
from entrypoints.http.client_address import ClientAddressResolver
from entrypoints.request_context import user_id_var
from entrypoints.settings import Settings

log = logging.getLogger(__name__)


async def _refuse(socket: WebSocket[Any, Any, Any], code: int, reason: str) -> None:
    log.info("chat socket refused", extra={"reason": reason, "close_code": code})
    await socket.close(code, reason[:120])


@websocket("/chat/ws")
async def chat_socket(socket: WebSocket[Any, Any, Any]) -> None:
    container = socket.state.dishka_container
    settings = await container.get(Settings)
    drain = await container.get(Drain)
    if drain.draining:  # this replica is going away: the client reconnects, through the balancer, elsewhere
        await socket.accept()
        await socket.close(CLOSE_SERVICE_RESTART, "server restarting; reconnect")
        return
    if not origin_allowed(socket, await container.get(ClientAddressResolver), settings.allowed_origins):
        await socket.close(CLOSE_POLICY, "origin not allowed")  # before accepting: the handshake gets a 403
        return
    try:
        chat_id = uuid.UUID(socket.query_params.get("chat_id", ""))
    except ValueError:
        await socket.accept()  # accepted first so the client sees the close code, not a bare 403
        await _refuse(socket, CLOSE_FORBIDDEN, "chat_id is missing or not a UUID")
        return
    try:
        user_id, token_seconds = await authenticate(
            socket, await container.get(AccessTokens), settings.ws_auth_timeout_seconds
        )
        user_id_var.set(str(user_id))
        async with container() as request:
            bus = await request.get(CommandBus)
            await bus.dispatch(GetMe(user_id=user_id))  # a disabled or deleted account cannot connect
            snapshot: ChatSnapshot = await bus.dispatch(OpenChatSession(owner_id=user_id, chat_id=chat_id))
    except (InvalidToken, AccountDisabled) as exc:
        await _refuse(socket, CLOSE_UNAUTHORIZED, exc.message)
        return
    except NotFound as exc:
        await _refuse(socket, CLOSE_FORBIDDEN, exc.message)
        return
    except AuthTimeout:
        await _refuse(socket, CLOSE_AUTH_TIMEOUT, "authentication timed out")
        return
    except PreAuthFrameTooBig:
        await _refuse(socket, CLOSE_TOO_BIG, "frame too large")
        return
    except DomainError as exc:
        await _refuse(socket, CLOSE_POLICY, exc.message)
        return
    try:
        with (await container.get(SocketCap)).hold(user_id):
            await _serve(socket, container, settings, drain, user_id, chat_id, snapshot, token_seconds)
    except SocketCapReached:
        await _refuse(socket, CLOSE_TOO_MANY_SOCKETS, "too many open chat sockets for this account")


async def _serve(socket: WebSocket[Any, Any, Any], container: Any, settings: Settings, drain: Drain,
                 user_id: uuid.UUID, chat_id: uuid.UUID, snapshot: ChatSnapshot, token_seconds: float) -> None:
    log.info("chat socket open", extra={"chat_id": str(chat_id)})
    session = ChatSession(socket, container, settings, user_id, chat_id, snapshot,
                          await container.get(PerKeyBuckets), await container.get(FrameBus), token_seconds,
                          await container.get(TurnStarts), await container.get(AccountWatch))
    telemetry = await container.get(Telemetry)
    telemetry.socket_opened()
    try:
        async with drain.socket(socket):
            await session.outbox.send_ephemeral(SnapshotFrame.of(snapshot))
            await session.run()
    finally:
        telemetry.socket_closed()
    log.info("chat socket closed", extra={"chat_id": str(chat_id)})
