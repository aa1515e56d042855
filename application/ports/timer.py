from __future__ import annotations

from typing import Protocol


class Timer(Protocol):
    """Monotonic time and waiting, for work that paces itself (token coalescing); tests pass a manual one, so
    they move time by hand instead of sleeping."""

    def monotonic(self) -> float:
        """Seconds from an arbitrary origin; never goes back."""
        ...

    async def sleep(self, seconds: float) -> None: ...
