from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import Awaitable, Callable

from adapters.jobs.in_process_job_queue import InProcessJobQueue
from adapters.jobs.job_attempt import Dispatch
from application.commands import AnyCommand, ProcessInbox
from application.retries import JobRetryRules

TURN_RETRY_RULES = JobRetryRules(max_tries=4, base_delay=0.5, max_delay=5.0)
"""A turn that failed outside the answer itself (the database or inbox was briefly unavailable) is run again
after a short backoff; its question stays ``pending`` until answered, so a re-run answers it once."""


class InProcessTurnScheduler:
    """Each request gets its own task; tasks that find the chat's lock taken return at once, and the holder
    drains their message too, so at most one task per chat does work.

    At most ``concurrency`` turns run at once; the others wait, first come first served, for a free slot
    (back-pressure: a burst of questions slows answers down instead of exhausting the database pool or the
    model endpoint). A turn that fails is retried (``TURN_RETRY_RULES``) rather than left for the sweeper.
    """

    def __init__(self, dispatch: Dispatch, *, concurrency: int = 256, rules: JobRetryRules = TURN_RETRY_RULES) -> None:
        self._dispatch = dispatch
        self._slots = asyncio.Semaphore(concurrency)
        self.running = 0
        """Turns holding a slot now; the rest of the scheduled ones wait for one or back off."""
        self._runner = InProcessJobQueue(self._run_in_slot, rules)
        self._hand_back: Callable[[ProcessInbox], Awaitable[object]] | None = None

    async def schedule(self, command: ProcessInbox) -> None:
        if self._hand_back is not None:  # draining: another process takes it at once
            await self._hand_back(command)
            return
        await self._runner.enqueue(command, key=f"turn:{command.chat_id}:{uuid.uuid4()}")

    async def drain_within(self, seconds: float, hand_back: Callable[[ProcessInbox], Awaitable[object]]) -> int:
        """Graceful shutdown: from now on every turn is handed back (``hand_back`` queues it for another
        process) instead of started here; running turns get ``seconds`` to finish, then they are cancelled
        (their questions stay ``pending``, the chat's lock is released) and their chats handed back too.
        Returns how many chats were handed back at the deadline."""
        self._hand_back = hand_back
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(asyncio.shield(self._runner.drain()), seconds)
        unfinished = [command for command in self._runner.unfinished() if isinstance(command, ProcessInbox)]
        await self._runner.close()
        chats = {command.chat_id: command for command in unfinished}
        for command in chats.values():
            await hand_back(command)
        return len(chats)

    async def _run_in_slot(self, command: AnyCommand) -> object:
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
