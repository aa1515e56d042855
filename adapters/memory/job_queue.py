from __future__ import annotations

from application.commands import Command


class RecordingJobQueue:
    """A queue that only remembers what was enqueued (once per key), for use-case tests that drain it by hand."""

    def __init__(self) -> None:
        self.jobs: dict[str, Command] = {}

    async def enqueue(self, command: Command, *, key: str) -> None:
        self.jobs.setdefault(key, command)

    def take_all(self) -> list[Command]:
        jobs, self.jobs = list(self.jobs.values()), {}
        return jobs
