from __future__ import annotations

import uuid
from typing import Protocol


class StopSignals(Protocol):
    """Lets a user stop an answer that is being produced in another process (the one running the turn).

    A per-chat counter: a turn reads it when it starts and stops as soon as it changes, so a "stop" sent after a
    turn ended never cancels the next one, and no clocks need to agree across processes.
    """

    async def request_stop(self, chat_id: uuid.UUID) -> None: ...

    async def generation(self, chat_id: uuid.UUID) -> int: ...
