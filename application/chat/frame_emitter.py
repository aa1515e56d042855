from __future__ import annotations

import logging
import uuid
from typing import TypeVar

from application.frames import ServerFrame
from application.ports.delivery_log import DeliveryLog
from application.ports.frame_bus import FrameBus

log = logging.getLogger(__name__)
FrameT = TypeVar("FrameT", bound=ServerFrame)


class FrameEmitter:
    """Appends a frame to the chat's delivery log (which gives it its seq) and then announces it, unless the log
    announced it itself in the same step (Redis: one round trip per frame).

    The log is the source of truth: a failed publish only delays delivery until the socket re-reads the log,
    so it is logged, not raised. A failed append raises (nothing was promised to the client yet).
    """

    def __init__(self, delivery_log: DeliveryLog, frame_bus: FrameBus) -> None:
        self._log = delivery_log
        self._bus = frame_bus

    async def emit(self, chat_id: uuid.UUID, frame: FrameT) -> FrameT:
        appended = await self._log.append(chat_id, frame)
        if self._log.publishes:
            return appended
        try:
            await self._bus.publish(chat_id, appended)
        except Exception:
            log.warning("frame publish failed; sockets will catch up from the log",
                        extra={"chat_id": str(chat_id), "seq": appended.seq})
        return appended
