from __future__ import annotations

from typing import Protocol

from application.commands import ProcessInbox


class TurnScheduler(Protocol):
    """Starts answering a chat's inbox soon, *in this process*.

    Separate from ``JobQueue`` on purpose: a turn is latency-critical (a queue poll would add to the time to
    first token), so the process that accepted the message starts it at once. If that process dies, nothing is
    lost: the message stays ``pending`` in the database and in the inbox, and the sweeper re-schedules it.
    """

    async def schedule(self, command: ProcessInbox) -> None: ...
