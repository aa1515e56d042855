from __future__ import annotations

from application.commands import ProcessInbox


class RecordingTurnScheduler:
    """Remembers scheduled turns so a use-case test can run them when it chooses (and in between, look)."""

    def __init__(self) -> None:
        self.scheduled: list[ProcessInbox] = []

    async def schedule(self, command: ProcessInbox) -> None:
        self.scheduled.append(command)

    def take_all(self) -> list[ProcessInbox]:
        taken, self.scheduled = self.scheduled, []
        return taken
