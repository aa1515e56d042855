"""The delivery log of the embedded (one-process) mode: same seq/epoch/trim contract as Redis, in memory."""

from __future__ import annotations

import uuid
from collections import deque

import msgspec

from application.frames import ServerFrame
from application.ports.delivery_log import FrameT, Replay, ReplayStatus, SeqAhead
from domain.snapshots import ChatSnapshot


class _ChatLog:
    def __init__(self, max_frames: int) -> None:
        self.epoch = uuid.uuid4().hex
        self.last_seq = 0
        self.acked_seq = 0
        self.turn_seq = 0
        self.frames: deque[ServerFrame] = deque(maxlen=max_frames)


class MemoryDeliveryLog:
    """Nothing here awaits, so every method is atomic with respect to the other tasks of the event loop."""

    def __init__(self, max_frames: int = 10_000) -> None:
        self._max_frames = max_frames
        self._logs: dict[uuid.UUID, _ChatLog] = {}

    @property
    def publishes(self) -> bool:
        return False

    def _log(self, chat_id: uuid.UUID) -> _ChatLog:
        log = self._logs.get(chat_id)
        if log is None:
            log = self._logs[chat_id] = _ChatLog(self._max_frames)
        return log

    @staticmethod
    def _snapshot(chat_id: uuid.UUID, log: _ChatLog) -> ChatSnapshot:
        return ChatSnapshot(chat_id=chat_id, epoch=log.epoch, last_seq=log.last_seq, acked_seq=log.acked_seq,
                            turn_seq=log.turn_seq)

    @staticmethod
    def _trim(log: _ChatLog) -> None:
        """Drops acknowledged frames, but never those of the answer still being written."""
        keep_from = min(log.acked_seq + 1, log.turn_seq or log.acked_seq + 1)
        while log.frames and log.frames[0].seq < keep_from:
            log.frames.popleft()

    async def append(self, chat_id: uuid.UUID, frame: FrameT) -> FrameT:
        log = self._log(chat_id)
        log.last_seq += 1
        stamped = msgspec.structs.replace(frame, seq=log.last_seq)
        log.frames.append(stamped)
        if frame.opens_turn:
            log.turn_seq = stamped.seq
        elif frame.closes_turn and log.turn_seq:
            log.turn_seq = 0
            self._trim(log)
        return stamped

    async def after(self, chat_id: uuid.UUID, after_seq: int, epoch: str | None = None) -> Replay:
        log = self._log(chat_id)
        snapshot = self._snapshot(chat_id, log)
        if epoch is not None and epoch != log.epoch:
            return Replay(status=ReplayStatus.EPOCH_CHANGED, snapshot=snapshot, frames=[])
        if after_seq > log.last_seq:
            return Replay(status=ReplayStatus.AHEAD, snapshot=snapshot, frames=[])
        frames = [frame for frame in log.frames if frame.seq > after_seq]
        complete = after_seq == log.last_seq or (bool(frames) and frames[0].seq == after_seq + 1)
        status = ReplayStatus.COMPLETE if complete else ReplayStatus.GAP
        return Replay(status=status, snapshot=snapshot, frames=frames)

    async def ack(self, chat_id: uuid.UUID, seq: int) -> ChatSnapshot:
        log = self._log(chat_id)
        if seq > log.last_seq:
            raise SeqAhead(f"seq {seq} was never sent (last is {log.last_seq})", field="seq")
        log.acked_seq = max(log.acked_seq, seq)
        self._trim(log)
        return self._snapshot(chat_id, log)

    async def snapshot(self, chat_id: uuid.UUID) -> ChatSnapshot:
        return self._snapshot(chat_id, self._log(chat_id))

    async def discard(self, chat_id: uuid.UUID) -> None:
        self._logs.pop(chat_id, None)

    def lose_everything(self) -> None:
        """Test hook: what a Redis FLUSHALL does to the real log (every chat gets a new epoch)."""
        self._logs.clear()
