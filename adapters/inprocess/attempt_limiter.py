from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable


class MemoryAttemptLimiter:
    """The in-process ``AttemptLimiter`` (embedded mode): fixed windows in a dict, the oldest keys dropped past
    ``max_keys`` so a flood of distinct addresses cannot grow it without bound."""

    def __init__(self, max_keys: int = 100_000, clock: Callable[[], float] = time.monotonic) -> None:
        self._max_keys = max_keys
        self._clock = clock
        self._windows: OrderedDict[str, tuple[int, float]] = OrderedDict()  # key -> (count, window end)

    async def hit(self, key: str, limit: int, window_seconds: float) -> float:
        now = self._clock()
        count, ends = self._live(key, now) or (0, now + window_seconds)
        count += 1
        self._windows[key] = (count, ends)
        self._windows.move_to_end(key)
        while len(self._windows) > self._max_keys:
            self._windows.popitem(last=False)
        return 0.0 if count <= limit else ends - now

    async def clear(self, key: str) -> None:
        self._windows.pop(key, None)

    def _live(self, key: str, now: float) -> tuple[int, float] | None:
        window = self._windows.get(key)
        if window is None or window[1] <= now:
            self._windows.pop(key, None)
            return None
        return window
