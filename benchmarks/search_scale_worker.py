"""One checkout's ``PgChunkIndex.search``, timed in a process of its own for ``benchmarks.search_scale``.

Run as a script (``python benchmarks/search_scale_worker.py URL``) with ``PYTHONPATH`` set to the checkout
to measure, so the benchmark can interleave the searches of two checkouts (before/after) over the same
database and the same load. It imports only what every checkout since the side connections has. Reads one
JSON request per line on stdin (owner, query, vector or null, mode, k) and answers one JSON line: the
search's wall time in ms, its hits' scores and chunk ids.

Settings come from the environment as in the product (``RAGCHAT_HNSW_EF_SEARCH``...); ``SEARCH_SCALE_SESSION``
(``name=value;name=value``, e.g. ``hnsw.iterative_scan=strict_order``) adds session settings that are not
ragchat settings, set on every connection as it opens, for trying them before making them one.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
import uuid
from typing import Any

from sqlalchemy import event, text

from adapters.postgres.chunk_index import PgChunkIndex
from adapters.postgres.engine import create_engine, create_session_factory
from adapters.postgres.side_connections import SideConnections
from application.ports.chunk_index import SearchMode
from entrypoints.settings_loading import load_settings


async def serve(url: str) -> None:
    settings = load_settings()
    engine = create_engine(
        url,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_max_overflow,
        hnsw_ef_search=settings.hnsw_ef_search,
        hnsw_max_scan_tuples=settings.hnsw_max_scan_tuples,
    )
    session_settings = [item.split("=", 1) for item in os.environ.get("SEARCH_SCALE_SESSION", "").split(";") if item]
    if session_settings:

        @event.listens_for(engine.sync_engine, "connect")
        def configure(dbapi_connection: Any, record: Any) -> None:
            cursor = dbapi_connection.cursor()
            for name, value in session_settings:
                cursor.execute(f"SELECT set_config('{name}', '{value}', false)")
            cursor.close()

    sessions = create_session_factory(engine)
    side = SideConnections(engine, limit=max(1, settings.db_pool_size // 2))  # as the application wires it
    async with sessions() as session:  # what this worker searches with, for the record
        names = ("hnsw.ef_search", "hnsw.iterative_scan", "hnsw.max_scan_tuples", "hnsw.scan_mem_multiplier")
        await session.execute(text("SELECT '[1]'::vector"))  # loads pgvector, which defines its settings
        shown = [(await session.execute(text(f"SHOW {name}"))).scalar() for name in names]
        print(" ".join(f"{n}={v}" for n, v in zip(names, shown, strict=True)), file=sys.stderr, flush=True)
    loop = asyncio.get_running_loop()
    try:
        while line := await loop.run_in_executor(None, sys.stdin.readline):
            request = json.loads(line)
            async with sessions() as session:
                index = PgChunkIndex(session, settings.hnsw_ef_search, side)
                started = time.perf_counter()
                hits = await index.search(
                    uuid.UUID(request["owner"]),
                    request["query"],
                    request["vector"],
                    request["k"],
                    SearchMode(request["mode"]),
                )
                elapsed = time.perf_counter() - started
            reply = {
                "ms": elapsed * 1000,
                "scores": [hit.score for hit in hits],
                "ids": [str(hit.chunk_id) for hit in hits],
            }
            print(json.dumps(reply), flush=True)
    finally:
        await engine.dispose()


if __name__ == "__main__":
    asyncio.run(serve(sys.argv[1]))
