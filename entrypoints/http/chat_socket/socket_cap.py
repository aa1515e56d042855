"""At most N chat sockets per user in this process, so one account cannot hold an unbounded number of
connections (each costs a task, a subscription and buffers). Per process, like the message rate limit: with
several API replicas a user may hold N on each."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager


class SocketCapReached(Exception):
    pass


class SocketCap:
    def __init__(self, max_per_user: int) -> None:
        self._max = max_per_user
        self._open: Counter[uuid.UUID] = Counter()

    def open_for(self, user_id: uuid.UUID) -> int:
        return self._open[user_id]

    @contextmanager
    def hold(self, user_id: uuid.UUID) -> Iterator[None]:
        """Counts the socket for its lifetime; raises ``SocketCapReached`` when the user is at the cap."""
        if self._open[user_id] >= self._max:
            raise SocketCapReached
        self._open[user_id] += 1
        try:
            yield
        finally:
            self._open[user_id] -= 1
            if self._open[user_id] <= 0:
                del self._open[user_id]
