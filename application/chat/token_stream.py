"""One answer's text turned into ``token`` frames, coalesced in time."""

from __future__ import annotations

import asyncio
import logging
import math
import uuid
from collections.abc import Callable

from application.chat.frame_emitter import FrameEmitter
from application.frames import ServerFrame, TokenFrame
from application.ports.timer import Timer

log = logging.getLogger(__name__)


class TokenStream:
    """Text produced within ``window`` seconds of the last token frame waits and goes out as one frame, so the
    number of frames (each a delivery-log append, a publish and a socket send) follows time, not the model's
    tokenizer. Text that arrives after a quiet window (the first token included) goes out at once; text left
    waiting goes out when its window ends even if the model pauses. A window of 0 sends every piece as it comes.

    ``delivered`` is the text of the token frames emitted, the answer to store: a replay of the delivery log
    then shows exactly the stored answer. Frames the turn adds mid-answer (citations) go through ``send``, so
    they follow the text they cite. ``discard`` (a stop) drops what waits; ``finish`` sends it.
    """

    def __init__(
        self, frames: FrameEmitter, chat_id: uuid.UUID, message_id: uuid.UUID, *, timer: Timer,
        window: float | Callable[[], float],
    ) -> None:
        """``window``: seconds, or a function giving them as the load changes (``AnswerStreams.window``)."""
        self._frames = frames
        self._chat_id = chat_id
        self._message_id = message_id
        self._timer = timer
        self._window_of: Callable[[], float] = window if callable(window) else (lambda: window)
        self._pending: list[str] = []
        self._delivered: list[str] = []
        self._last_frame = -math.inf
        self._lock = asyncio.Lock()
        self._flusher: asyncio.Task[None] | None = None
        self._failure: Exception | None = None

    @property
    def message_id(self) -> uuid.UUID:
        return self._message_id

    @property
    def started(self) -> bool:
        """Whether any text came (sent or waiting)."""
        return bool(self._delivered or self._pending)

    @property
    def delivered(self) -> str:
        return "".join(self._delivered)

    async def add(self, text: str) -> None:
        """Raises what a background flush failed with (the turn then ends with that error)."""
        self._raise_failure()
        self._pending.append(text)
        if self._timer.monotonic() - self._last_frame >= self._window_of():
            async with self._lock:
                await self._send_pending()
        elif self._flusher is None:
            self._flusher = asyncio.create_task(self._flush_when_due(), name="token-flush")

    async def send(self, frame: ServerFrame) -> None:
        """Emits ``frame`` after the text waiting before it."""
        self._raise_failure()
        async with self._lock:
            await self._send_pending()
            await self._frames.emit(self._chat_id, frame)

    async def finish(self) -> None:
        """The answer is complete: what waits goes out now."""
        self._raise_failure()
        async with self._lock:
            self._stop_flusher()
            await self._send_pending()

    async def discard(self) -> None:
        """The answer was stopped: a frame being sent completes (it is delivered), what waits is dropped."""
        async with self._lock:
            self._stop_flusher()
            self._pending.clear()

    async def settle(self) -> None:
        """The answer failed: send what waits if the log takes it, else drop it (``delivered`` stays true)."""
        try:
            await self.finish()
        except Exception:
            log.warning("could not send the last tokens of a failed answer", extra={"chat_id": str(self._chat_id)})
            await self.discard()

    def abandon(self) -> None:
        """The turn was cancelled (its process is stopping): no more background sends."""
        self._stop_flusher()

    def _raise_failure(self) -> None:
        if self._failure is not None:
            raise self._failure

    def _stop_flusher(self) -> None:
        flusher, self._flusher = self._flusher, None
        if flusher is not None and flusher is not asyncio.current_task():
            flusher.cancel()

    async def _send_pending(self) -> None:
        """Under the lock, so frames keep the order their text was produced in."""
        if not self._pending:
            return
        text = "".join(self._pending)
        self._pending.clear()
        self._last_frame = self._timer.monotonic()
        await self._frames.emit(self._chat_id, TokenFrame(message_id=self._message_id, text=text))
        self._delivered.append(text)

    async def _flush_when_due(self) -> None:
        try:
            while (due := self._last_frame + self._window_of() - self._timer.monotonic()) > 0:
                await self._timer.sleep(due)
            async with self._lock:
                self._flusher = None  # text added from here on schedules its own flush
                await self._send_pending()
        except Exception as exc:  # raised to the turn at its next add/send/finish
            self._failure = exc
