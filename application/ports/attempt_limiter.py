from __future__ import annotations

from typing import Protocol


class AttemptLimiter(Protocol):
    """Counts attempts per key in fixed windows: at most ``limit`` per ``window_seconds`` (the window starts at
    a key's first attempt). Shared by every API process in production (Redis), per process when embedded."""

    async def hit(self, key: str, limit: int, window_seconds: float) -> float:
        """Counts one attempt. 0.0 while the key is within its limit; otherwise the seconds until its window
        ends (the caller refuses the attempt)."""
        ...

    async def clear(self, key: str) -> None:
        """Forgets the key's attempts (a successful login clears its account's failures)."""
        ...
