from __future__ import annotations

import asyncio
import uuid

from adapters.jobs.in_process_job_queue import Dispatch, InProcessJobQueue
from adapters.jobs.retry_rules import RetryRules
from application.commands import Command, ProcessInbox

TURN_RETRY_RULES = RetryRules(max_tries=4, base_delay=0.5, max_delay=5.0)
"""A turn that failed outside the answer itself (the database or inbox was briefly unavailable) is run again
after a short backoff; its question stays ``pending`` until answered, so a re-run answers it once."""


class InProcessTurnScheduler:
    """Each request gets its own task; tasks that find the chat's lock taken return at once, and the holder
    drains their message too, so at most one task per chat does work.

    At most ``concurrency`` turns run at once; the others wait, first come first served, for a free slot
    (back-pressure: a burst of questions slows answers down instead of exhausting the database pool or the
    model endpoint). A turn that fails is retried (``TURN_RETRY_RULES``) rather than left for the sweeper.
    """

    def __init__(self, dispatch: Dispatch, *, concurrency: int = 256, rules: RetryRules = TURN_RETRY_RULES) -> None:
        self._dispatch = dispatch
        self._slots = asyncio.Semaphore(concurrency)
        self.running = 0
        """Turns holding a slot now; the rest of the scheduled ones wait for one or back off."""
        self._runner = InProcessJobQueue(self._run_in_slot, rules)

    async def schedule(self, command: ProcessInbox) -> None:
        await self._runner.enqueue(command, key=f"turn:{command.chat_id}:{uuid.uuid4()}")

    async def _run_in_slot(self, command: Command) -> object:
        async with self._slots:  # a retry's backoff waits outside the slot
            self.running += 1
            try:
                return await self._dispatch(command)
            finally:
                self.running -= 1

    async def drain(self) -> None:
        await self._runner.drain()

    async def close(self) -> None:
        await self._runner.close()
