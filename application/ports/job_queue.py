from __future__ import annotations

from typing import Protocol

from application.commands import AnyCommand


class JobQueue(Protocol):
    """Runs a command later, outside the request, at least once.

    ``key`` is the job's identity: enqueueing the same key again while it is queued or running is a no-op,
    which (with idempotent handlers) makes retries and double-clicks harmless.
    """

    async def enqueue(self, command: AnyCommand, *, key: str) -> None: ...
