from __future__ import annotations

from tests.support.twins.store import MemorySession


class MemoryUnitOfWork:
    """Commits or undoes the request's ``MemorySession``, the one its memory repositories write through."""

    def __init__(self, session: MemorySession) -> None:
        self._session = session
        self.commits = 0
        """How many times the use case committed; lets a unit test see that a failure committed nothing."""

    async def commit(self) -> None:
        self._session.commit()
        self.commits += 1

    async def rollback(self) -> None:
        self._session.rollback()

    async def reads_only(self) -> bool:
        """A write before the unit ends raises, so a unit test catches a use case writing in a unit it declared
        read-only (PostgreSQL would commit each such write on its own)."""
        return self._session.reads_only()
