"""Suspending the HNSW index of ``chunks`` during a bulk load, and building it again (``SearchIndexBuilds``).

Measured on 2,459 chunks (two busy cores): inserting them with the HNSW index in place took 7.8 s, of which
the index was about 7 s (~2.9 ms per row); building the index over them afterwards took 1.7 s (~0.7 ms per
row). A build covers the rows already there too, so the index is suspended only when the table holds at most
``REBUILD_WORTH_IT`` times as many chunks as the load adds.

While the index is missing, vector searches of every owner compare their chunks exactly (correct, slower);
the build at the end blocks other writers to ``chunks`` (not readers) until it is done. A process that dies
between the two leaves the index missing: ``restore_vector_index`` (run at every start, after the migrations)
builds it again.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.postgres.errors import translate_errors

INDEX = "ix_chunks_embedding"  # as created by migration 0002
REBUILD_WORTH_IT = 2.0
SERIAL_BUILD_UP_TO = 10_000
"""A build over at most this many chunks runs in one process, without parallel maintenance workers: measured
on 2,478 real chunks (2 shared cores), serial took 400 ms against 630 ms with one worker at load 3.5, and 572
against 942 ms at load 8 (pgvector's parallel build shares its graph in locked shared memory)."""
_COUNT_UP_TO = text("SELECT count(*) FROM (SELECT 1 FROM chunks LIMIT :cap) AS stored")


class PgSearchIndexBuilds:
    def __init__(self, engine: AsyncEngine, m: int, ef_construction: int) -> None:
        self._engine = engine
        self._m = m
        self._ef_construction = ef_construction

    @translate_errors
    async def suspend(self, incoming_chunks: int) -> bool:
        async with self._engine.begin() as connection:
            present = (await connection.execute(text("SELECT to_regclass(:name)"), {"name": INDEX})).scalar_one()
            if present is None:
                return False  # already suspended by another load
            cap = int(REBUILD_WORTH_IT * incoming_chunks) + 1
            stored = (await connection.execute(_COUNT_UP_TO, {"cap": cap})).scalar_one()
            if stored >= cap:
                return False
            await connection.execute(text(f"DROP INDEX IF EXISTS {INDEX}"))
        return True

    @translate_errors
    async def resume(self) -> None:
        await restore_vector_index(self._engine, self._m, self._ef_construction)


async def restore_vector_index(engine: AsyncEngine, m: int, ef_construction: int) -> None:
    """Builds the HNSW index with the migration's definition when it is missing (a no-op otherwise)."""
    async with engine.begin() as connection:
        missing = (await connection.execute(text("SELECT to_regclass(:name) IS NULL"), {"name": INDEX})).scalar_one()
        if not missing:
            return
        stored = (await connection.execute(_COUNT_UP_TO, {"cap": SERIAL_BUILD_UP_TO + 1})).scalar_one()
        if stored <= SERIAL_BUILD_UP_TO:
            await connection.execute(text("SET LOCAL max_parallel_maintenance_workers = 0"))  # this build only
        await connection.execute(
            text(
                f"CREATE INDEX IF NOT EXISTS {INDEX} ON chunks USING hnsw (embedding vector_cosine_ops) "
                f"WITH (m = {int(m)}, ef_construction = {int(ef_construction)})"
            )
        )
        await connection.execute(text("ANALYZE chunks"))
