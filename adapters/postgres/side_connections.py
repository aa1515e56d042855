"""A few of the pool's connections that hybrid searches borrow, so their two legs run at the same time.

A hybrid search runs a vector leg and a keyword leg. On the request's own connection they run one after the
other: the search then takes the sum of both, and each leg's round trips wait for the previous leg's. Here the
keyword leg runs on a second connection (autocommit: no BEGIN/COMMIT round trips) while the request's
connection runs the vector leg, so the search takes about the longer of the two, and the two server processes
can use both cores.

A search holds its own connection while it waits for the second one, so unbounded borrowing could exhaust the
pool with searches that each hold one connection and wait for another. The borrowers are therefore limited to
``limit`` at a time (a share of the pool), and a search that finds no borrowing room, or a pool already fully
checked out, runs its legs one after the other instead of waiting.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine


class SideConnections:
    """One per engine (application scope); ``PgChunkIndex`` asks it per hybrid search."""

    def __init__(self, engine: AsyncEngine, limit: int) -> None:
        self._engine = engine.execution_options(isolation_level="AUTOCOMMIT")
        self._free = max(0, limit)

    def reserve(self) -> bool:
        """Takes one borrowing slot if there is room; the caller must ``release()`` it, used or not."""
        if self._free <= 0 or not _pool_has_room(self._engine):
            return False
        self._free -= 1
        return True

    def release(self) -> None:
        self._free += 1

    @asynccontextmanager
    async def connection(self) -> AsyncIterator[AsyncConnection]:
        """A connection for a reserved slot, checked out here: inside the leg that uses it, so the checkout
        overlaps the other leg too."""
        async with self._engine.connect() as connection:
            yield connection


def _pool_has_room(engine: AsyncEngine) -> bool:
    pool = engine.sync_engine.pool
    size, checked_out = getattr(pool, "size", None), getattr(pool, "checkedout", None)
    max_overflow = getattr(pool, "_max_overflow", None)
    if size is None or checked_out is None or not isinstance(max_overflow, int):
        return True  # not a queue pool (e.g. NullPool): a checkout opens a connection and never waits
    if max_overflow < 0:
        return True  # unlimited overflow
    return bool(checked_out() < size() + max_overflow)
