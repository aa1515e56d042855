"""The chat WebSocket's frames, both directions, as tagged msgspec structs (``{"type": ..., ...}``).

Server frames carry a per-chat ``seq`` that the delivery log assigns when it appends them (0 before
that), so a client that reconnects can say ``resume {after_seq}`` and get exactly what it missed. Client
frames decode in one call: ``msgspec.json.decode(raw, type=ClientFrame)``; a malformed frame raises
``msgspec.ValidationError`` / ``msgspec.DecodeError``, which the socket answers with an ``error`` frame.
"""

from __future__ import annotations

import uuid
from typing import Annotated

import msgspec

from application.ports.chat_model import Usage
from domain.messages import Citation
from domain.stages import Stage

MAX_CLIENT_MSG_ID_LENGTH = 128
MAX_TOKEN_LENGTH = 8192


# --- server -> client -----------------------------------------------------------------------------------
class ServerFrame(msgspec.Struct, frozen=True, kw_only=True, tag_field="type"):
    seq: int = 0
    """Strictly increasing per chat; 0 until the delivery log has appended the frame."""


class AcceptedFrame(ServerFrame, frozen=True, kw_only=True, tag="accepted"):
    """The user message is stored and queued; sent again (same ``message_id``) for a re-sent duplicate."""

    client_msg_id: str
    message_id: uuid.UUID


class TokenFrame(ServerFrame, frozen=True, kw_only=True, tag="token"):
    message_id: uuid.UUID
    """The assistant message being streamed."""
    text: str


class CitationFrame(ServerFrame, frozen=True, kw_only=True, tag="citation"):
    message_id: uuid.UUID
    citation: Citation


class AnswerDoneFrame(ServerFrame, frozen=True, kw_only=True, tag="answer_done"):
    message_id: uuid.UUID
    reply_to: uuid.UUID
    """The user message this answers."""
    usage: Usage


class ErrorFrame(ServerFrame, frozen=True, kw_only=True, tag="error"):
    code: str
    message: str
    retryable: bool = False
    client_msg_id: str | None = None
    """Set when the error is about one user message (e.g. rate limited), so the client can re-send it."""
    message_id: uuid.UUID | None = None
    """Set when an assistant message was interrupted part-way."""


class StageChangedFrame(ServerFrame, frozen=True, kw_only=True, tag="stage_changed"):
    stage: Stage


class PongFrame(ServerFrame, frozen=True, kw_only=True, tag="pong"):
    pass


class SnapshotFrame(ServerFrame, frozen=True, kw_only=True, tag="snapshot"):
    """Where the chat's delivery log stands. ``reload_history`` tells the client that frames it has not seen
    are gone (log lost: new ``epoch``; or trimmed) and it must reload the history over HTTP."""

    epoch: str
    last_seq: int
    acked_seq: int
    reload_history: bool = False


AnyServerFrame = (
    AcceptedFrame
    | TokenFrame
    | CitationFrame
    | AnswerDoneFrame
    | ErrorFrame
    | StageChangedFrame
    | PongFrame
    | SnapshotFrame
)
"""Decode target for server frames (delivery log storage, the frame bus, test clients)."""


# --- client -> server -----------------------------------------------------------------------------------
class ClientFrameBase(msgspec.Struct, frozen=True, kw_only=True, tag_field="type"):
    pass


class AuthFrame(ClientFrameBase, frozen=True, kw_only=True, tag="auth"):
    token: Annotated[str, msgspec.Meta(min_length=1, max_length=MAX_TOKEN_LENGTH)]


class MessageFrame(ClientFrameBase, frozen=True, kw_only=True, tag="message"):
    client_msg_id: Annotated[str, msgspec.Meta(min_length=1, max_length=MAX_CLIENT_MSG_ID_LENGTH)]
    """Chosen by the client (a UUID); re-sending the same id is processed once."""
    text: str
    """Length is checked by the use case (``domain.messages.clean_message_text``) for a precise error."""


class AckFrame(ClientFrameBase, frozen=True, kw_only=True, tag="ack"):
    seq: Annotated[int, msgspec.Meta(ge=0)]


class ResumeFrame(ClientFrameBase, frozen=True, kw_only=True, tag="resume"):
    after_seq: Annotated[int, msgspec.Meta(ge=0)]
    epoch: str | None = None
    """The epoch the client's ``after_seq`` belongs to; a different current epoch means the log was lost."""


class PingFrame(ClientFrameBase, frozen=True, kw_only=True, tag="ping"):
    pass


class SetStageFrame(ClientFrameBase, frozen=True, kw_only=True, tag="set_stage"):
    stage: Stage


class StopFrame(ClientFrameBase, frozen=True, kw_only=True, tag="stop"):
    """Stop the answer being produced in this chat (it ends ``interrupted``)."""


ClientFrame = AuthFrame | MessageFrame | AckFrame | ResumeFrame | PingFrame | SetStageFrame | StopFrame
"""Decode target for everything a client may send."""
