from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager
from typing import Protocol

from application.frames import ServerFrame
from domain.errors import ServiceUnavailable


class SubscriptionLost(ServiceUnavailable):
    """The subscription may have missed frames (connection to the bus lost, or the consumer fell too far
    behind). The consumer re-reads the delivery log after its last sent seq and subscribes again."""

    code = "subscription_lost"


class FrameBus(Protocol):
    """Fan-out of freshly appended frames to whichever process holds the chat's socket.

    Best effort: the delivery log is the source of truth. A subscriber drops frames whose seq it has already
    sent (a publish may be retried) and reads the log when it sees a seq gap or gets ``SubscriptionLost``.
    """

    async def publish(self, chat_id: uuid.UUID, frame: ServerFrame) -> None:
        """Raises ``StorageUnavailable`` when the bus is down after retries."""
        ...

    def subscribe(self, chat_id: uuid.UUID) -> AbstractAsyncContextManager[AsyncIterator[ServerFrame]]:
        """``async with bus.subscribe(chat_id) as frames: async for frame in frames: ...``

        The subscription is active once the ``async with`` is entered (frames published after that arrive);
        leaving the block unsubscribes. Iteration raises ``SubscriptionLost`` (see above).
        """
        ...
