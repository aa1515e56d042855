from __future__ import annotations


class MemorySearchIndexBuilds:
    """The in-memory chunk index has no index to maintain: nothing is ever suspended."""

    def __init__(self) -> None:
        self.resumed = 0

    async def suspend(self, incoming_chunks: int) -> bool:
        return False

    async def resume(self) -> None:
        self.resumed += 1
