from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.jobs.pg_job_table import PgJobTable
from adapters.postgres.background_tables import UNFINISHED, jobs
from adapters.postgres.errors import translate_errors
from application.ports.job_store import JobRecord, JobStatus

LIST_LIMIT = 1_000


def _record(row: Row[tuple[object, ...]]) -> JobRecord:
    m = row._mapping
    return JobRecord(id=str(m["id"]), key=m["key"], command=m["command"], status=JobStatus(m["status"]),
                     attempts=m["attempts"], last_error=m["last_error"], enqueued_at=m["created_at"])


class PgJobStore:
    """``JobStore`` over the embedded runner's ``jobs`` table. Works from any process on the database (the
    ``ragchat jobs`` command too): a retried job is picked up by the serving process's runner."""

    def __init__(self, engine: AsyncEngine, stale_after_seconds: float = 3_600.0) -> None:
        self._engine = engine
        self._table = PgJobTable(engine)
        self._stale_after = stale_after_seconds

    @translate_errors
    async def list(self, statuses: frozenset[JobStatus]) -> list[JobRecord]:
        query = (
            select(jobs)
            .where(jobs.c.status.in_(sorted(s.value for s in statuses)))
            .order_by(jobs.c.id)
            .limit(LIST_LIMIT)
        )
        async with self._engine.connect() as connection:
            return [_record(row) for row in await connection.execute(query)]

    async def retry(self, job_id: str) -> JobRecord | None:
        if not job_id.isdigit() or not await self._table.queue_again(int(job_id)):
            return None
        return await self._current(int(job_id))

    @translate_errors
    async def _current(self, job_id: int) -> JobRecord | None:
        """The job that now does the work of ``job_id``: itself, or the queued one that superseded it."""
        async with self._engine.connect() as connection:
            row = (await connection.execute(select(jobs).where(jobs.c.id == job_id))).first()
            if row is not None and row._mapping["status"] == "done":
                active = select(jobs).where(jobs.c.key == row._mapping["key"], jobs.c.status.in_(UNFINISHED))
                row = (await connection.execute(active)).first() or row
        return None if row is None else _record(row)

    @translate_errors
    async def is_active(self, key: str) -> bool:
        query = select(jobs.c.id).where(jobs.c.key == key, jobs.c.status.in_(UNFINISHED)).limit(1)
        async with self._engine.connect() as connection:
            return (await connection.execute(query)).first() is not None

    async def recover_abandoned(self) -> int:
        return await self._table.requeue_abandoned(self._stale_after)

    async def forget_owner(self, owner_id: uuid.UUID) -> int:
        """Every command naming an owner carries its id, which MessagePack stores as its canonical string."""
        return await self._table.delete_mentioning(str(owner_id).encode())
