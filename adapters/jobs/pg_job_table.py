"""The SQL of the embedded runner's durable queue (table ``jobs``, migration 0003), one short transaction
per statement on the process's engine, never on a request's session: a job's bookkeeping must not depend
on whether the work it runs commits."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

import msgspec
from sqlalchemy import (
    BigInteger,
    LargeBinary,
    bindparam,
    cast,
    column,
    delete,
    func,
    literal,
    select,
    table,
    text,
    update,
)
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from adapters.jobs.command_codec import encode_command
from adapters.postgres.background_tables import jobs
from adapters.postgres.errors import translate_errors
from application.commands import AnyCommand

# The partial unique index's predicate, spelled as in the migration: PostgreSQL matches ON CONFLICT to a
# partial index only when it can prove the predicate, which it cannot for bound parameters.
UNFINISHED_PREDICATE = text("status IN ('queued', 'running')")

RUNNER_LOCK_SPACE = 0x726A_726E  # "rjrn": first key of the runners' two-key advisory locks

_pg_locks = table("pg_locks", column("locktype"), column("granted"), column("objsubid"), column("classid"),
                  column("objid"), column("database"))
_pg_database = table("pg_database", column("oid"), column("datname"))

# Runners alive right now: each holds a session advisory lock (RUNNER_LOCK_SPACE, its key) while it runs.
LIVE_RUNNERS = select(cast(_pg_locks.c.objid, BigInteger)).where(
    _pg_locks.c.locktype == "advisory",
    _pg_locks.c.granted,
    _pg_locks.c.objsubid == 2,
    _pg_locks.c.classid == RUNNER_LOCK_SPACE,
    _pg_locks.c.database
    == select(_pg_database.c.oid).where(_pg_database.c.datname == func.current_database()).scalar_subquery(),
)


_MENTIONS = text("position(:needle IN jobs.payload) > 0")


class ClaimedJob(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    key: str
    payload: bytes
    attempts: int
    runner: int
    """The runner key it was claimed under: its bookkeeping is settled under that key, whatever came since."""


class PgJobTable:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    @translate_errors
    async def insert(self, command: AnyCommand, key: str) -> bool:
        """False when a job with this key is already queued or running (the partial unique index).

        One statement, atomic by itself: it runs in autocommit, one round trip instead of three (BEGIN, INSERT,
        COMMIT); every chat turn queues two jobs."""
        statement = (
            insert(jobs)
            .values(key=key, command=type(command).__name__, payload=encode_command(command))
            .on_conflict_do_nothing(index_elements=[jobs.c.key], index_where=UNFINISHED_PREDICATE)
            .returning(jobs.c.id)
        )
        async with self._autocommit() as connection:
            return (await connection.execute(statement)).first() is not None

    @asynccontextmanager
    async def _autocommit(self) -> AsyncIterator[AsyncConnection]:
        """A connection for one statement that is atomic by itself (insert, claim, settle): one round trip
        instead of three (BEGIN, statement, COMMIT); a turn's two jobs make about a dozen of these."""
        async with self._engine.connect() as connection:
            yield await connection.execution_options(isolation_level="AUTOCOMMIT")

    @translate_errors
    async def claim(self, limit: int, runner: int) -> list[ClaimedJob]:
        """Takes up to ``limit`` due jobs for ``runner``; concurrent runners skip each other's rows. Nothing
        when ``runner`` holds no liveness lock (its connection dropped): a job claimed under a dead key would
        look abandoned at once and be run a second time by another runner."""
        due = (
            select(jobs.c.id)
            .where(jobs.c.status == "queued", jobs.c.run_after <= func.now())
            .where(literal(runner, BigInteger).in_(LIVE_RUNNERS))
            .order_by(jobs.c.run_after, jobs.c.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        statement = (
            update(jobs)
            .where(jobs.c.id.in_(due.scalar_subquery()))
            .values(status="running", runner=runner, attempts=jobs.c.attempts + 1, updated_at=func.now())
            .returning(jobs.c.id, jobs.c.key, jobs.c.payload, jobs.c.attempts)
        )
        async with self._autocommit() as connection:
            rows = (await connection.execute(statement)).all()
        return sorted((ClaimedJob(id=r.id, key=r.key, payload=r.payload, attempts=r.attempts, runner=runner)
                       for r in rows),
                      key=lambda job: job.id)

    @translate_errors
    async def settle(self, job_id: int, runner: int, *, status: str, error: str | None = None,
                     delay: float = 0.0, refund_attempt: bool = False) -> None:
        """Ends a run of ``runner``: ``done``, ``failed`` or ``queued`` again after ``delay`` seconds. A row
        recovered by someone else meanwhile (we were taken for dead) is left alone."""
        values: dict[str, object] = {"status": status, "runner": None, "updated_at": func.now()}
        if error is not None:
            values["last_error"] = error[:2000]
        if status == "queued":
            values["run_after"] = func.now() + timedelta(seconds=delay)
        if refund_attempt:
            values["attempts"] = jobs.c.attempts - 1
        statement = update(jobs).where(jobs.c.id == job_id, jobs.c.runner == runner, jobs.c.status == "running")
        async with self._autocommit() as connection:
            await connection.execute(statement.values(values))

    @translate_errors
    async def requeue_abandoned(self, stale_after: float) -> int:
        """Running jobs whose runner holds no liveness lock any more (it died), or that have not been settled
        long after any run could have ended, go back to the queue. Also forgets jobs done a day ago."""
        statement = (
            update(jobs)
            .where(
                jobs.c.status == "running",
                (jobs.c.runner.is_(None))
                | jobs.c.runner.not_in(LIVE_RUNNERS)
                | (jobs.c.updated_at < func.now() - timedelta(seconds=stale_after)),
            )
            .values(status="queued", runner=None, run_after=func.now(), updated_at=func.now())
            .returning(jobs.c.id)
        )
        forget = delete(jobs).where(jobs.c.status == "done", jobs.c.updated_at < func.now() - timedelta(days=1))
        async with self._engine.begin() as connection:
            recovered = len((await connection.execute(statement)).all())
            await connection.execute(forget)
        return recovered

    @translate_errors
    async def delete_mentioning(self, needle: bytes) -> int:
        """Deletes the jobs not running whose payload contains ``needle`` (an id, as MessagePack stores it)."""
        statement = (
            delete(jobs)
            .where(jobs.c.status != "running", _MENTIONS.bindparams(bindparam("needle", needle, LargeBinary)))
            .returning(jobs.c.id)
        )
        async with self._engine.begin() as connection:
            return len((await connection.execute(statement)).all())

    @translate_errors
    async def queue_again(self, job_id: int) -> bool:
        """A failed job back to the queue with a fresh set of tries; False when it is not failed."""
        statement = (
            update(jobs)
            .where(jobs.c.id == job_id, jobs.c.status == "failed")
            .values(status="queued", attempts=0, run_after=func.now(), updated_at=func.now())
            .returning(jobs.c.id)
        )
        try:
            async with self._engine.begin() as connection:
                return (await connection.execute(statement)).first() is not None
        except IntegrityError:  # the same key is queued already: that job does the work; retire this one
            async with self._engine.begin() as connection:
                await connection.execute(update(jobs).where(jobs.c.id == job_id).values(status="done"))
            return True
