from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger(__name__)


class Periodic:
    """Runs ``action`` every ``interval`` seconds in a background task (first run at once) until stopped.
    A failing run is logged and the next one happens on schedule: housekeeping must never stop for good."""

    def __init__(self, name: str, interval: float, action: Callable[[], Awaitable[object]]) -> None:
        self._name = name
        self._interval = interval
        self._action = action
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._loop(), name=self._name)

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _loop(self) -> None:
        while True:
            try:
                await self._action()
            except Exception:
                log.exception("periodic task failed", extra={"task": self._name})
            await asyncio.sleep(self._interval)
