"""What one socket has been sent: a cursor over the chat's delivery log, fed live by the frame bus."""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable

import msgspec

from application.frames import ServerFrame, SnapshotFrame
from application.ports.delivery_log import Replay, ReplayStatus
from application.ports.frame_bus import FrameBus, SubscriptionLost

log = logging.getLogger(__name__)

SendText = Callable[[str], Awaitable[None]]
ReadAfter = Callable[[int], Awaitable[Replay]]
_encoder = msgspec.json.Encoder()


class SocketOutbox:
    """Sends each frame of the chat at most once per socket, in seq order, with no gaps.

    ``cursor`` is the last seq this socket sent. Live frames at or below it are dropped (a publish may repeat);
    a frame past ``cursor + 1`` means something was missed, so the log is read from the cursor instead.
    Every send happens under one lock, so a ``resume`` and the live feed never interleave.
    """

    def __init__(self, chat_id: uuid.UUID, send_text: SendText, read_after: ReadAfter, bus: FrameBus) -> None:
        self._chat_id = chat_id
        self._send_text = send_text
        self._read_after = read_after
        self._bus = bus
        self._lock = asyncio.Lock()
        self.cursor: int | None = None
        self._wake = asyncio.Event()

    async def send_ephemeral(self, frame: ServerFrame) -> None:
        """Frames outside the log (seq 0): pong, snapshot, errors about this socket's own input."""
        async with self._lock:
            await self._send_text(_encoder.encode(frame).decode())

    async def resume(self, after_seq: int, replay: Replay) -> None:
        async with self._lock:
            if replay.status is ReplayStatus.COMPLETE:
                for frame in replay.frames:
                    await self._send_text(_encoder.encode(frame).decode())
                self.cursor = replay.frames[-1].seq if replay.frames else after_seq
            else:
                await self._tell_to_reload(replay)
        self._wake.set()

    async def _tell_to_reload(self, replay: Replay) -> None:
        """The client cannot get what it missed: it reloads history, and this socket goes on from the join
        point (every in-flight answer from its start), exactly as for a client that just connected."""
        await self._send_text(_encoder.encode(SnapshotFrame.of(replay.snapshot, reload_history=True)).decode())
        self.cursor = replay.snapshot.join_seq
        if self.cursor < replay.snapshot.last_seq:
            rest = await self._read_after(self.cursor)
            if rest.status is ReplayStatus.COMPLETE:
                await self._send_new(rest.frames)

    async def _send_new(self, frames: list[ServerFrame]) -> None:
        assert self.cursor is not None
        for frame in frames:
            if frame.seq > self.cursor:
                await self._send_text(_encoder.encode(frame).decode())
                self.cursor = frame.seq

    async def _deliver(self, frame: ServerFrame) -> None:
        async with self._lock:
            if self.cursor is None or frame.seq <= self.cursor:
                return
            if frame.seq == self.cursor + 1:
                await self._send_text(_encoder.encode(frame).decode())
                self.cursor = frame.seq
                return
        await self._catch_up()

    async def _catch_up(self) -> None:
        async with self._lock:
            if self.cursor is None:
                return
            replay = await self._read_after(self.cursor)
            if replay.status is not ReplayStatus.COMPLETE:
                await self._tell_to_reload(replay)
                return
            await self._send_new(replay.frames)

    async def pump(self) -> None:
        """Runs for the socket's life: waits for the first resume, then follows the bus (re-subscribing and
        re-reading the log whenever the subscription may have missed something)."""
        await self._wake.wait()
        while True:
            try:
                async with self._bus.subscribe(self._chat_id) as frames:
                    await self._catch_up()  # anything appended between the resume and the subscription
                    async for frame in frames:
                        await self._deliver(frame)
            except SubscriptionLost:
                log.info("frame subscription lost; re-reading the log", extra={"chat_id": str(self._chat_id)})
            except Exception:
                log.exception("frame subscription failed; retrying")
            await asyncio.sleep(0.2)
