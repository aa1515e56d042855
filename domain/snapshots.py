"""What a client needs to resume a chat session without losing or repeating frames."""

from __future__ import annotations

import uuid

import msgspec


class ChatSnapshot(msgspec.Struct, kw_only=True, frozen=True):
    chat_id: uuid.UUID
    epoch: str
    """Changes whenever the delivery log was lost (e.g. Redis flushed): the client must reload history."""
    last_seq: int
    """The highest seq appended so far."""
    acked_seq: int
    """Everything up to here was acknowledged by a client and may be trimmed."""
    turn_seq: int = 0
    """The seq of the ``answer_started`` frame of the answer being written now (0: none). The log keeps every
    frame from there on until that answer ends, whatever clients acknowledged, so a client can join mid-answer."""

    @property
    def join_seq(self) -> int:
        """Where a client that loaded history should resume from to see every in-flight answer from its start."""
        return self.turn_seq - 1 if self.turn_seq else self.last_seq
