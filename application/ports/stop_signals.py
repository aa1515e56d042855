from __future__ import annotations

import uuid
from typing import Protocol


class StopWatch(Protocol):
    """One turn's view of its chat's stop signal, asked before each piece of the answer goes out."""

    async def stopped(self) -> bool:
        """Whether a stop was requested since the watch began. Cheap enough to ask per token: a shared store
        is read at most every ``check_seconds`` (about 100 ms) and answered from that read in between, so a
        stop takes effect within that long of the next token. Once true it stays true."""
        ...


class StopSignals(Protocol):
    """Lets a user stop an answer that is being produced in another process (the one running the turn).

    A per-chat counter: a turn notes it when it starts watching and stops once it has changed, so a "stop" sent
    after a turn ended never cancels the next one, and no clocks need to agree across processes.
    """

    async def request_stop(self, chat_id: uuid.UUID) -> None: ...

    async def watch(self, chat_id: uuid.UUID) -> StopWatch:
        """Starts watching: stops requested before this call do not count."""
        ...
