from __future__ import annotations

import uuid
from enum import StrEnum
from typing import Protocol, TypeVar

import msgspec

from application.frames import ServerFrame
from domain.errors import InvalidInput
from domain.snapshots import ChatSnapshot

FrameT = TypeVar("FrameT", bound=ServerFrame)


class SeqAhead(InvalidInput):
    """A client acknowledged a seq that was never sent (or belongs to a log that has since been lost)."""

    code = "seq_ahead"


class ReplayStatus(StrEnum):
    COMPLETE = "complete"
    """``frames`` holds every frame after ``after_seq`` (possibly none)."""
    GAP = "gap"
    """Some frames after ``after_seq`` were trimmed (acked elsewhere, over the length bound) or lost;
    ``frames`` holds what is left. The client must reload history."""
    EPOCH_CHANGED = "epoch_changed"
    """The log the client's seq belongs to is gone (e.g. Redis flushed); ``frames`` is empty."""
    AHEAD = "ahead"
    """``after_seq`` is beyond the last seq of this log: a client bug or a lost log; ``frames`` is empty."""


class Replay(msgspec.Struct, frozen=True, kw_only=True):
    status: ReplayStatus
    snapshot: ChatSnapshot
    frames: list[ServerFrame]
    """In seq order, each with its ``seq`` set."""


class DeliveryLog(Protocol):
    """Per-chat outgoing frames, kept until acknowledged, so a reconnecting client gets what it missed.

    Each chat's log has an ``epoch``: a random id created with the log. If the log is lost (Redis flushed or
    the key expired), a new epoch is created and seqs start again at 1, so a client can tell "nothing new"
    from "everything forgotten". The log is bounded in length and expires some time after its last write.
    Raises ``StorageUnavailable`` when the backing store is down after retries.
    """

    @property
    def publishes(self) -> bool:
        """Whether ``append`` also publishes the frame on the frame bus (Redis: in the same round trip), so
        whoever appends must not publish it again."""
        ...

    async def append(self, chat_id: uuid.UUID, frame: FrameT) -> FrameT:
        """Assigns the next seq atomically (concurrent appends never share or skip one); returns the frame
        with its ``seq`` set. A retry after a lost reply does not append twice."""
        ...

    async def after(self, chat_id: uuid.UUID, after_seq: int, epoch: str | None = None) -> Replay:
        """The frames after ``after_seq``, for ``resume``. Pass the client's ``epoch`` when it sent one."""
        ...

    async def ack(self, chat_id: uuid.UUID, seq: int) -> ChatSnapshot:
        """Everything up to ``seq`` was delivered: trim it. Acking an old seq again is a no-op.

        Raises ``SeqAhead`` when ``seq`` is beyond the last appended seq.
        """
        ...

    async def snapshot(self, chat_id: uuid.UUID) -> ChatSnapshot:
        """The current epoch, last and acked seq; creates an empty log (and so an epoch) if there is none."""
        ...

    async def discard(self, chat_id: uuid.UUID) -> None:
        """Forgets the chat's log (the chat was deleted)."""
        ...
