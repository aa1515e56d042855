from __future__ import annotations

from typing import Protocol


class UnitOfWork(Protocol):
    """The transaction the repositories of one request share; nothing is durable before ``commit``."""

    async def commit(self) -> None: ...

    async def rollback(self) -> None: ...
