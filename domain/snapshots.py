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
