"""The database ``benchmarks.search_scale`` measures: three owners of 80% / 20% of the chunks and 300 chunks,
real text re-sampled by ``benchmarks.scale_corpus``, built once per data folder.

Chunks are bulk-copied with the schema's secondary indexes dropped and then rebuilt from their own definitions,
so the indexes are exactly the migrations' ones.
"""

from __future__ import annotations

import json
import os
import random
import re
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import asyncpg
import numpy as np
from pgvector.asyncpg import register_vector

from adapters.postgres.document_repository import PgDocumentRepository
from adapters.postgres.embedded import EmbeddedPostgres, socket_dir_of
from adapters.postgres.engine import create_engine, create_session_factory
from adapters.postgres.migrate import run_migrations
from adapters.postgres.user_repository import PgUserRepository
from benchmarks.scale_corpus import load_sources, passages
from entrypoints.ioc.persistence import migration_attributes
from entrypoints.settings_loading import load_settings
from tests.contract.persistence import at, new_document, new_user

Embed = Callable[[list[str]], np.ndarray]
CHUNKS_PER_DOCUMENT = 25
COLUMNS = [
    "id",
    "document_id",
    "owner_id",
    "ordinal",
    "text",
    "char_start",
    "char_end",
    "page",
    "heading_path",
    "embedding",
]


def owner_sizes(total: int) -> dict[str, int]:
    return {"large": int(total * 0.8), "medium": int(total * 0.2), "small": 300}


async def connect(url: str) -> asyncpg.Connection:
    database = urlsplit(url).path.lstrip("/")
    connection = await asyncpg.connect(user="postgres", database=database, host=socket_dir_of(url))
    await register_vector(connection)
    return connection


def drawn_passages(count: int, seed: int, folder: Path) -> list[tuple[str, str]]:
    """``count`` passages drawn with ``seed``, kept in ``folder``: the corpus is whatever is installed, so
    without this a package installed since the last run would change every passage (and miss the vectors
    cached for them)."""
    path = folder / f"passages-{count}-seed{seed}.json"
    if path.exists():
        return [(heading, body) for heading, body in json.loads(path.read_text())]
    sources, _ = load_sources()
    drawn = passages(sources, count, random.Random(seed))
    folder.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(drawn))
    return drawn


async def build(url: str, total: int, seed: int, embed: Embed, folder: Path) -> dict[str, uuid.UUID]:
    """Owner ids by name; builds the data unless this database already holds it (passages kept in ``folder``)."""
    connection = await connect(url)
    try:
        await connection.execute("CREATE TABLE IF NOT EXISTS bench_meta (key text PRIMARY KEY, value jsonb)")
        stored = await connection.fetchval("SELECT value FROM bench_meta WHERE key = 'owners'")
        if stored is not None:
            named = json.loads(stored)
            return {name: uuid.UUID(named[name]) for name in owner_sizes(total)}
        sizes = owner_sizes(total)
        drawn = drawn_passages(sum(sizes.values()), seed, folder)
        owners = await _fill(url, connection, drawn, sizes, embed)
        await connection.execute(
            "INSERT INTO bench_meta VALUES ('owners', $1)", json.dumps({k: str(v) for k, v in owners.items()})
        )
        return owners
    finally:
        await connection.close()


async def _fill(
    url: str, connection: asyncpg.Connection, drawn: list[tuple[str, str]], sizes: dict[str, int], embed: Embed
) -> dict[str, uuid.UUID]:
    started = time.perf_counter()
    vectors = embed([f"{heading}\n{body}" for heading, body in drawn])
    print(f"embedded {len(drawn)} passages in {time.perf_counter() - started:.0f} s", flush=True)
    engine = create_engine(url)
    owners: dict[str, uuid.UUID] = {}
    records: list[tuple[object, ...]] = []
    async with create_session_factory(engine)() as session:
        position = 0
        for name, size in sizes.items():
            user = new_user()
            await PgUserRepository(session).add(user)
            owners[name] = user.id
            for first in range(0, size, CHUNKS_PER_DOCUMENT):
                count = min(CHUNKS_PER_DOCUMENT, size - first)
                document = new_document(user.id, filename=f"{drawn[position][0]}-{first}.md")
                document.start_indexing(at(1))
                document.mark_ready(count, at(2))
                await PgDocumentRepository(session).add(document)
                for ordinal in range(count):
                    heading, body = drawn[position]
                    row = (uuid.uuid4(), document.id, user.id, ordinal, body, 0, len(body), None, [heading])
                    records.append((*row, vectors[position]))
                    position += 1
        await session.commit()
    await engine.dispose()
    await _copy_and_index(connection, records)
    return owners


async def _copy_and_index(connection: asyncpg.Connection, records: list[tuple[object, ...]]) -> None:
    rebuilds = await connection.fetch("""
        SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS definition
        FROM pg_index i WHERE i.indrelid = 'chunks'::regclass
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)""")
    for row in rebuilds:
        await connection.execute(f"DROP INDEX {row['name']}")
    started = time.perf_counter()
    await connection.copy_records_to_table("chunks", records=records, columns=COLUMNS)
    print(f"loaded {len(records)} chunks in {time.perf_counter() - started:.0f} s", flush=True)
    for row in rebuilds:  # with the server's maintenance_work_mem, as a migration or `ragchat ingest` builds them
        await _timed_build(connection, row["name"], row["definition"])
    started = time.perf_counter()  # the document-level words, as ``chunk_writes.replace_chunks`` writes them
    await connection.execute("""
        UPDATE documents d SET tsv = k.tsv
        FROM (SELECT document_id, ragchat_keywords(tsv ORDER BY ordinal) AS tsv FROM chunks GROUP BY document_id) k
        WHERE k.document_id = d.id""")
    print(f"wrote the documents' words in {time.perf_counter() - started:.1f} s", flush=True)
    await connection.execute("ANALYZE")


async def _timed_build(connection: asyncpg.Connection, name: str, definition: str) -> None:
    memory = await connection.fetchval("SHOW maintenance_work_mem")
    started = time.perf_counter()
    await connection.execute(definition)
    print(f"built {name} in {time.perf_counter() - started:.1f} s (maintenance_work_mem {memory}, "
          f"load {os.getloadavg()[0]:.1f})", flush=True)  # fmt: skip


async def rebuild_vector_index(url: str, options: str | None = None) -> None:
    """Drops and builds the HNSW index again, timed: from its own definition, or with ``options`` (``m = 24,
    ef_construction = 128``) instead of its own."""
    connection = await connect(url)
    try:
        definition = await connection.fetchval("SELECT pg_get_indexdef('ix_chunks_embedding'::regclass)")
        if options is not None:
            definition = re.sub(r"WITH \(.*\)", f"WITH ({options})", definition)
        await connection.execute("DROP INDEX ix_chunks_embedding")
        await _timed_build(connection, "ix_chunks_embedding", definition)
    finally:
        await connection.close()


async def database_url(server: EmbeddedPostgres, name: str) -> str:
    """The URL of database ``name`` on ``server``, created if missing, migrated to this checkout's head."""
    if name != "postgres":
        connection = await connect(server.url())
        try:
            if not await connection.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name):
                await connection.execute(f'CREATE DATABASE "{name}"')
        finally:
            await connection.close()
    url = server.url(name)
    await run_migrations(url, attributes=migration_attributes(load_settings()))  # the index the product builds
    return url


async def server_facts(url: str) -> dict[str, str]:
    connection = await connect(url)
    try:
        facts = {
            name: await connection.fetchval(f"SHOW {name}")
            for name in ("shared_buffers", "work_mem", "maintenance_work_mem", "effective_cache_size", "jit")
        }
        for row in await connection.fetch("""SELECT indexrelid::regclass::text AS name,
                pg_size_pretty(pg_relation_size(indexrelid)) AS size FROM pg_index
                WHERE indrelid = 'chunks'::regclass"""):
            facts[row["name"]] = row["size"]
        return facts
    finally:
        await connection.close()
