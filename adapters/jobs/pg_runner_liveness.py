from __future__ import annotations

import logging
import random

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from adapters.jobs.pg_job_table import RUNNER_LOCK_SPACE
from adapters.postgres.errors import translate_errors

log = logging.getLogger(__name__)


class RunnerLiveness:
    """Proof that a runner is alive: a session advisory lock (``RUNNER_LOCK_SPACE``, key) held on a connection
    of its own for as long as the runner runs. When the process dies, however abruptly, PostgreSQL drops the
    connection and the lock with it, so others can tell its ``running`` jobs were abandoned (``pg_locks``)
    at once, without heartbeats or timeouts."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._connection: AsyncConnection | None = None
        self._key: int | None = None

    @property
    def key(self) -> int:
        if self._key is None:
            raise RuntimeError("the runner has not started")
        return self._key

    @translate_errors
    async def acquire(self) -> int:
        self._connection = await self._engine.connect()
        for _ in range(100):
            key = random.randint(1, 2**31 - 1)
            taken = await self._connection.scalar(select(func.pg_try_advisory_lock(RUNNER_LOCK_SPACE, key)))
            await self._connection.commit()  # the lock belongs to the session, not to this transaction
            if taken:
                self._key = key
                return key
        raise RuntimeError("no free runner key")

    async def holds(self) -> bool:
        """Whether the lock is still ours: false once its connection has dropped (a database restart, a network
        cut, an operator's ``pg_terminate_backend``), after which other runners take our running jobs."""
        if self._connection is None:
            return False
        try:
            await self._connection.execute(select(1))
            await self._connection.commit()
        except Exception:
            return False
        return True

    async def release(self) -> None:
        connection, self._connection = self._connection, None
        if connection is None:
            return
        try:
            if self._key is not None:
                await connection.execute(select(func.pg_advisory_unlock(RUNNER_LOCK_SPACE, self._key)))
                await connection.commit()
        except Exception:
            log.warning("could not release the runner lock; closing its connection drops it", exc_info=True)
        finally:
            await connection.close()
