"""A clock tests move by hand, so time-dependent behaviour (expiry, ordering) is tested without sleeping."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta


class ManualClock:
    def __init__(self, start: datetime | None = None) -> None:
        self._now = start or datetime(2026, 1, 1, 12, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self._now

    def advance(self, seconds: float = 1.0) -> datetime:
        self._now += timedelta(seconds=seconds)
        return self._now

    def set(self, moment: datetime) -> None:
        self._now = moment


class ManualTimer:
    """A ``Timer`` whose time moves only on ``advance``; a sleeper wakes when time reaches its deadline."""

    def __init__(self) -> None:
        self._now = 0.0
        self._sleepers: list[tuple[float, asyncio.Future[None]]] = []
        self._fell_asleep: asyncio.Event | None = None

    def monotonic(self) -> float:
        return self._now

    async def sleep(self, seconds: float) -> None:
        if seconds <= 0:
            await asyncio.sleep(0)
            return
        woken: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        entry = (self._now + seconds, woken)
        self._sleepers.append(entry)
        if self._fell_asleep is not None:
            self._fell_asleep.set()
        try:
            await woken
        finally:
            if entry in self._sleepers:
                self._sleepers.remove(entry)

    @property
    def sleeping(self) -> int:
        return len(self._sleepers)

    async def until_sleeping(self, count: int) -> None:
        """Returns once ``count`` sleepers wait (wrap it in a deadline)."""
        while len(self._sleepers) < count:
            self._fell_asleep = asyncio.Event()
            await self._fell_asleep.wait()

    def advance(self, seconds: float) -> None:
        self._now += seconds
        for deadline, woken in list(self._sleepers):
            if deadline <= self._now and not woken.done():
                woken.set_result(None)
