from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from adapters.postgres.errors import translate_errors


class PgUnitOfWork:
    """Commits or rolls back the request's one ``AsyncSession``, the same object every repository of the
    request writes through. A session closed without ``commit`` (request failed) discards its writes."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    @translate_errors
    async def commit(self) -> None:
        await self._session.commit()

    @translate_errors
    async def rollback(self) -> None:
        await self._session.rollback()

    @translate_errors
    async def reads_only(self) -> bool:
        """The session's connection is checked out in autocommit mode: no BEGIN before its statements, and the
        commit that ends the unit sends nothing. The pool resets the mode when the connection goes back."""
        if self._session.in_transaction():
            return False
        await self._session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
        return True
