"""Every open chat socket's account, checked together: one read per interval for the whole process, however
many sockets are open."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import Awaitable, Callable, Iterator

log = logging.getLogger(__name__)

FindInactive = Callable[[frozenset[uuid.UUID]], Awaitable[frozenset[uuid.UUID]]]


class AccountWatch:
    """A socket watches its user's account for as long as it is open and gets an event, set once the account
    is found disabled or deleted (the socket then closes). Every ``interval`` seconds one command asks which
    of the watched accounts are inactive, so a disabled account's sockets close within ``interval``.

    Checked one socket at a time, 200 open sockets cost 200 transactions per interval, and sockets opened
    together (a restart's reconnects) checked together, as one burst. A failed check (the database is down)
    is logged and made again at the next interval; the sockets stay open meanwhile."""

    def __init__(self, interval: float, find_inactive: FindInactive) -> None:
        self._interval = interval
        self._find_inactive = find_inactive
        self._watchers: dict[uuid.UUID, set[asyncio.Event]] = {}
        self._task: asyncio.Task[None] | None = None

    @contextlib.contextmanager
    def watch(self, user_id: uuid.UUID) -> Iterator[asyncio.Event]:
        revoked = asyncio.Event()
        self._watchers.setdefault(user_id, set()).add(revoked)
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._check_every_interval(), name="account-watch")
        try:
            yield revoked
        finally:
            events = self._watchers.get(user_id, set())
            events.discard(revoked)
            if not events:
                self._watchers.pop(user_id, None)

    async def check_now(self) -> None:
        """One check of every watched account; raises what the check raised."""
        watched = frozenset(self._watchers)
        if not watched:
            return
        for user_id in await self._find_inactive(watched):
            for revoked in self._watchers.get(user_id, set()):
                revoked.set()

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _check_every_interval(self) -> None:
        while True:
            await asyncio.sleep(self._interval)
            try:
                await self.check_now()
            except Exception:
                log.warning("the open sockets' account check failed; trying again next interval", exc_info=True)
