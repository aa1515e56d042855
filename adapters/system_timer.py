"""The event loop's clock, for what paces itself in real time (token coalescing)."""

from __future__ import annotations

import asyncio


class LoopTimer:
    def monotonic(self) -> float:
        return asyncio.get_running_loop().time()

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(max(0.0, seconds))
