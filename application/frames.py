"""The chat WebSocket's frames, both directions, as tagged msgspec structs (``{"type": ..., ...}``).

Server frames carry a per-chat ``seq`` that the delivery log assigns when it appends them (0 before
that), so a client that reconnects can say ``resume {after_seq}`` and get exactly what it missed. Client
frames decode in one call: ``msgspec.json.decode(raw, type=ClientFrame)``; a malformed frame raises
``msgspec.ValidationError`` / ``msgspec.DecodeError``, which the socket answers with an ``error`` frame.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, ClassVar

import msgspec

from application.ports.chat_model import Usage
from domain.messages import Citation, MessageStatus
from domain.snapshots import ChatSnapshot
from domain.stages import Stage

MAX_CLIENT_MSG_ID_LENGTH = 128
MAX_TOKEN_LENGTH = 8192


# --- server -> client -----------------------------------------------------------------------------------
class ServerFrame(msgspec.Struct, frozen=True, kw_only=True, tag_field="type"):
    seq: int = 0
    """Strictly increasing per chat; 0 until the delivery log has appended the frame."""

    opens_turn: ClassVar[bool] = False
    """Appending it starts an in-flight answer: the log keeps frames from here on until one that
    ``closes_turn`` (answers are produced one at a time per chat), so a late client can join from its start."""
    closes_turn: ClassVar[bool] = False


class AcceptedFrame(ServerFrame, frozen=True, kw_only=True, tag="accepted"):
    """A user message is in the chat: every socket of the chat gets it, so each shows the question once, in
    ``position`` order. Sent again (same ``message_id``) when a re-send is deduplicated or retried; ``status``
    says what the question is now (``pending`` when queued for an answer, ``complete`` when already answered).
    The defaults keep frames logged by an older version decodable."""

    client_msg_id: str
    message_id: uuid.UUID
    text: str = ""
    position: int = 0
    status: MessageStatus = MessageStatus.PENDING
    created_at: datetime | None = None
    replaces: uuid.UUID | None = None
    """Set on an edit or a regenerate: the question it replaces (a ``replaced`` frame follows before its answer)."""


class AnswerStartedFrame(ServerFrame, frozen=True, kw_only=True, tag="answer_started"):
    """The answer ``message_id`` to the question ``reply_to`` begins; its tokens and citations follow."""

    opens_turn: ClassVar[bool] = True
    message_id: uuid.UUID
    reply_to: uuid.UUID


class TokenFrame(ServerFrame, frozen=True, kw_only=True, tag="token"):
    message_id: uuid.UUID
    """The assistant message being streamed."""
    text: str


class CitationFrame(ServerFrame, frozen=True, kw_only=True, tag="citation"):
    message_id: uuid.UUID
    citation: Citation


class AnswerDoneFrame(ServerFrame, frozen=True, kw_only=True, tag="answer_done"):
    closes_turn: ClassVar[bool] = True
    message_id: uuid.UUID
    reply_to: uuid.UUID
    """The user message this answers."""
    usage: Usage


class ErrorFrame(ServerFrame, frozen=True, kw_only=True, tag="error"):
    """In the log (seq > 0) it ends a turn; with seq 0 it is about one socket's own input."""

    closes_turn: ClassVar[bool] = True
    code: str
    message: str
    retryable: bool = False
    client_msg_id: str | None = None
    """Set when the error is about one user message (e.g. rate limited), so the client can re-send it."""
    message_id: uuid.UUID | None = None
    """Set when an assistant message was interrupted part-way."""


class ReplacedFrame(ServerFrame, frozen=True, kw_only=True, tag="replaced"):
    """An edit or a regenerate (the question ``by``) took effect: these messages left the conversation (history
    no longer holds them). Sent before the replacing question's ``answer_started``."""

    message_ids: list[uuid.UUID]
    by: uuid.UUID


class StageChangedFrame(ServerFrame, frozen=True, kw_only=True, tag="stage_changed"):
    stage: Stage


class TitleChangedFrame(ServerFrame, frozen=True, kw_only=True, tag="title_changed"):
    """The chat's title changed (generated from the first question, or renamed)."""

    title: str


class PongFrame(ServerFrame, frozen=True, kw_only=True, tag="pong"):
    pass


class SnapshotFrame(ServerFrame, frozen=True, kw_only=True, tag="snapshot"):
    """Where the chat's delivery log stands. ``reload_history`` tells the client that frames it has not seen
    are gone (log lost: new ``epoch``; or trimmed) and it must reload the history over HTTP."""

    epoch: str
    last_seq: int
    acked_seq: int
    join_seq: int = 0
    """Resume from here after loading history: every answer still being written is replayed from its
    ``answer_started`` (equals ``last_seq`` when none is)."""
    reload_history: bool = False

    @classmethod
    def of(cls, snapshot: ChatSnapshot, reload_history: bool = False) -> SnapshotFrame:
        return cls(epoch=snapshot.epoch, last_seq=snapshot.last_seq, acked_seq=snapshot.acked_seq,
                   join_seq=snapshot.join_seq, reload_history=reload_history)


AnyServerFrame = (
    AcceptedFrame
    | AnswerStartedFrame
    | TokenFrame
    | CitationFrame
    | AnswerDoneFrame
    | ErrorFrame
    | ReplacedFrame
    | StageChangedFrame
    | TitleChangedFrame
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


class EditFrame(ClientFrameBase, frozen=True, kw_only=True, tag="edit"):
    """Replace the question ``message_id`` by ``text`` and drop everything after it; answered like a message."""

    client_msg_id: Annotated[str, msgspec.Meta(min_length=1, max_length=MAX_CLIENT_MSG_ID_LENGTH)]
    """The new question's id, chosen by the client: re-sending the same edit is processed once."""
    message_id: uuid.UUID
    text: str


class RegenerateFrame(ClientFrameBase, frozen=True, kw_only=True, tag="regenerate"):
    """Answer the last question (``message_id``) again; its earlier answers leave the conversation."""

    client_msg_id: Annotated[str, msgspec.Meta(min_length=1, max_length=MAX_CLIENT_MSG_ID_LENGTH)]
    message_id: uuid.UUID


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


ClientFrame = (
    AuthFrame
    | MessageFrame
    | EditFrame
    | RegenerateFrame
    | AckFrame
    | ResumeFrame
    | PingFrame
    | SetStageFrame
    | StopFrame
)
"""Decode target for everything a client may send."""
