"""One chat WebSocket after authentication: each client frame becomes a command in its own request scope."""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from typing import Any, TypeVar

import msgspec
from dishka import AsyncContainer
from litestar import WebSocket

from application.chat.turn_starts import TurnStarts
from application.commands import (
    AcknowledgeDelivery,
    CatchUpDelivery,
    Command,
    RegenerateAnswer,
    ResumeDelivery,
    SendMessage,
    SetChatStage,
    StopAnswer,
)
from application.frames import (
    AckFrame,
    AuthFrame,
    ClientFrame,
    EditFrame,
    ErrorFrame,
    MessageFrame,
    PingFrame,
    PongFrame,
    RegenerateFrame,
    ResumeFrame,
    SetStageFrame,
    StopFrame,
)
from application.ports.delivery_log import Replay
from application.ports.frame_bus import FrameBus
from application.retries import is_retryable
from domain.errors import DomainError
from domain.messages import ChatMessage
from domain.snapshots import ChatSnapshot
from entrypoints.http.chat_socket.account_watch import AccountWatch
from entrypoints.http.chat_socket.close_codes import CLOSE_IDLE, CLOSE_TOO_BIG, CLOSE_UNAUTHORIZED
from entrypoints.http.chat_socket.outbox import SocketOutbox
from entrypoints.http.chat_socket.rate_limit import PerKeyBuckets, TokenBucket
from entrypoints.ioc.scoped_dispatch import dispatch_in_request
from entrypoints.settings import Settings

log = logging.getLogger(__name__)
R = TypeVar("R")
_decoder = msgspec.json.Decoder(ClientFrame)
_QUESTION_FRAMES = (MessageFrame, EditFrame, RegenerateFrame)



class ChatSession:
    def __init__(self, socket: WebSocket[Any, Any, Any], container: AsyncContainer, settings: Settings,
                 user_id: uuid.UUID, chat_id: uuid.UUID, snapshot: ChatSnapshot, message_buckets: PerKeyBuckets,
                 bus: FrameBus, token_seconds: float, starts: TurnStarts, accounts: AccountWatch) -> None:
        self._accounts = accounts
        self._starts = starts
        self._snapshot = snapshot
        self._token_deadline = time.monotonic() + token_seconds
        self._socket = socket
        self._container = container
        self._settings = settings
        self._user_id = user_id
        self._chat_id = chat_id
        self._messages = message_buckets
        self._frames = TokenBucket(settings.ws_frames_per_second, settings.ws_frames_per_second * 2)
        self.outbox = SocketOutbox(chat_id, socket.send_text, self._read_after, bus)

    async def _dispatch(self, command: Command[R]) -> R:
        return await dispatch_in_request(self._container, command)

    async def _read_after(self, after_seq: int) -> Replay:
        replay: Replay = await self._dispatch(CatchUpDelivery(chat_id=self._chat_id, after_seq=after_seq))
        return replay

    async def run(self) -> None:
        with self._accounts.watch(self._user_id) as revoked:
            await self._serve(revoked)

    async def _serve(self, revoked: asyncio.Event) -> None:
        """Until the client leaves, stays idle too long, its token expires or its account is disabled or
        deleted (``AccountWatch`` checks every open socket's account together)."""
        pump = asyncio.create_task(self.outbox.pump(), name="ws-outbox")
        account_revoked = asyncio.ensure_future(revoked.wait())
        receiving: asyncio.Task[Any] | None = None
        idle_deadline = time.monotonic() + self._settings.ws_idle_timeout_seconds
        try:
            while True:
                receiving = receiving or asyncio.ensure_future(self._socket.receive())
                wait = min(idle_deadline, self._token_deadline) - time.monotonic()
                done, _ = await asyncio.wait({receiving, account_revoked}, timeout=max(0.0, wait),
                                             return_when=asyncio.FIRST_COMPLETED)
                if account_revoked in done:
                    log.info("chat socket closed: account disabled or deleted")
                    await self._socket.close(CLOSE_UNAUTHORIZED, "the account is disabled or deleted")
                    return
                if not done:
                    if self._token_deadline <= time.monotonic():
                        # The client refreshes its token and reconnects with resume: nothing is lost.
                        await self._socket.close(CLOSE_UNAUTHORIZED, "access token expired")
                        return
                    if idle_deadline <= time.monotonic():
                        await self._socket.close(CLOSE_IDLE, "idle timeout")
                        return
                    continue
                event, receiving = receiving.result(), None
                idle_deadline = time.monotonic() + self._settings.ws_idle_timeout_seconds
                if event["type"] == "websocket.disconnect":
                    return
                raw = event.get("text") or event.get("bytes") or ""
                if len(raw.encode() if isinstance(raw, str) else raw) > self._settings.ws_max_frame_bytes:
                    await self._socket.close(CLOSE_TOO_BIG, "frame too large")
                    return
                await self._handle_raw(raw)
        finally:
            tasks = [t for t in (pump, receiving, account_revoked) if t is not None]
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

    async def _error(self, code: str, message: str, retryable: bool = False, client_msg_id: str | None = None) -> None:
        await self.outbox.send_ephemeral(
            ErrorFrame(code=code, message=message, retryable=retryable, client_msg_id=client_msg_id)
        )

    async def _handle_raw(self, raw: str | bytes) -> None:
        limited = self._frames.take() > 0  # every frame counts, malformed ones too
        try:
            frame = _decoder.decode(raw)
        except (msgspec.ValidationError, msgspec.DecodeError) as exc:
            await self._error("rate_limited" if limited else "invalid_frame",
                              "too many frames; slow down" if limited else str(exc), retryable=limited)
            return
        client_msg_id = frame.client_msg_id if isinstance(frame, _QUESTION_FRAMES) else None
        if limited:  # decoded first, so a dropped message is named and the client can re-send it
            await self._error("rate_limited", "too many frames; slow down", True, client_msg_id)
            return
        try:
            await self._handle(frame)
        except DomainError as exc:
            await self._error(exc.code, exc.message, is_retryable(exc), client_msg_id)
        except Exception:
            log.exception("frame handling failed")
            await self._error("internal_error", "the server could not handle that frame", True, client_msg_id)

    async def _question(self, frame: MessageFrame | EditFrame | RegenerateFrame) -> None:
        """A message, an edit or a regenerate: each asks for a turn, so each counts against the message rate."""
        owner, chat = self._user_id, self._chat_id
        if (wait := self._messages.take(str(owner))) > 0:
            await self._error("rate_limited", f"too many messages; retry in {wait:.1f}s", True, frame.client_msg_id)
            return
        if self.outbox.cursor is None:  # a message before any resume: follow from the snapshot on
            after = self._snapshot.last_seq
            await self.outbox.resume(after, await self._read_after(after))
        command: Command[ChatMessage]
        match frame:
            case MessageFrame(client_msg_id=client_msg_id, text=text):
                command = SendMessage(owner_id=owner, chat_id=chat, client_msg_id=client_msg_id, text=text)
            case EditFrame(client_msg_id=client_msg_id, message_id=message_id, text=text):
                command = SendMessage(owner_id=owner, chat_id=chat, client_msg_id=client_msg_id, text=text,
                                      replaces=message_id)
            case RegenerateFrame(client_msg_id=client_msg_id, message_id=message_id):
                command = RegenerateAnswer(owner_id=owner, chat_id=chat, client_msg_id=client_msg_id,
                                           message_id=message_id)
        async with self._starts.admit():  # stored in turn with the questions being prepared (TurnStarts)
            await self._dispatch(command)

    async def _handle(self, frame: Any) -> None:
        owner, chat = self._user_id, self._chat_id
        match frame:
            case PingFrame():
                await self.outbox.send_ephemeral(PongFrame())
            case ResumeFrame(after_seq=after_seq, epoch=epoch):
                replay = await self._dispatch(ResumeDelivery(owner_id=owner, chat_id=chat, after_seq=after_seq,
                                                             epoch=epoch))
                await self.outbox.resume(after_seq, replay)
            case MessageFrame() | EditFrame() | RegenerateFrame():
                await self._question(frame)
            case AckFrame(seq=seq):
                await self._dispatch(AcknowledgeDelivery(owner_id=owner, chat_id=chat, seq=seq))
            case SetStageFrame(stage=stage):
                await self._dispatch(SetChatStage(owner_id=owner, chat_id=chat, stage=stage))
            case StopFrame():
                await self._dispatch(StopAnswer(owner_id=owner, chat_id=chat))
            case AuthFrame():
                await self._error("already_authenticated", "this socket is already authenticated")
