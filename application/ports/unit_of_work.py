from __future__ import annotations

from typing import Protocol


class UnitOfWork(Protocol):
    """The transaction the repositories of one request share; nothing is durable before ``commit``."""

    async def commit(self) -> None: ...

    async def rollback(self) -> None: ...

    async def reads_only(self) -> bool:
        """Declares that the unit starting now only reads, until the next ``commit`` or ``rollback``: the store
        may run its statements without a transaction. At READ COMMITTED each statement sees its own snapshot
        anyway, so a transaction around plain reads buys no consistency and costs two round trips (BEGIN and
        COMMIT), which a chat turn waits for before its first token. Called with a unit already under way, it
        changes nothing and returns False. Writing in such a unit is a programming error (the in-memory twin
        raises)."""
        ...
