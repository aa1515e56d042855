from __future__ import annotations

import uuid

from adapters.jobs.in_process_job_queue import Dispatch, InProcessJobQueue
from application.commands import ProcessInbox


class InProcessTurnScheduler:
    """Each request gets its own task; tasks that find the chat's lock taken return at once, and the holder
    drains their message too, so at most one task per chat does work."""

    def __init__(self, dispatch: Dispatch) -> None:
        self._runner = InProcessJobQueue(dispatch, max_tries=1)

    async def schedule(self, command: ProcessInbox) -> None:
        await self._runner.enqueue(command, key=f"turn:{command.chat_id}:{uuid.uuid4()}")

    async def drain(self) -> None:
        await self._runner.drain()

    async def close(self) -> None:
        await self._runner.close()
