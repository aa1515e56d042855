"""Search latency and vector recall at scale: ``python -m benchmarks.search_scale [--chunks 100000]``.

Builds (once per ``--data-dir``) an embedded PostgreSQL database with three owners of 80% / 20% of
``--chunks`` and 300 chunks, from real text re-sampled by ``benchmarks.scale_corpus``, embedded with the
hashing embedder (fast enough for 100k chunks on two cores). Chunks are bulk-copied with the schema's
secondary indexes dropped and then rebuilt from their own definitions, so the indexes are exactly the
migrations' ones. Then, per owner and mode, it times ``PgChunkIndex.search`` (in process, k=10, the default
settings) over the same queries and prints p50/p95/p99, and recall@10 of the vector mode against an exact
numpy search over the owner's vectors.

``--minilm N`` adds a second database of N chunks embedded with the bundled all-MiniLM-L6-v2 (80% / 20% / 300,
vectors cached in the data folder) and measures recall and latency of the vector mode there: embedding 100k
chunks with MiniLM takes over an hour on two cores. Run the same data folder against another checkout
(``PYTHONPATH=<checkout>``) for before/after figures; its migrations are applied on top when newer.
Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import asyncpg
import numpy as np
from pgvector.asyncpg import register_vector

from adapters.embedding.hashing_embedder import HashingEmbedder
from adapters.postgres.chunk_index import PgChunkIndex
from adapters.postgres.document_repository import PgDocumentRepository
from adapters.postgres.embedded import EmbeddedPostgres, socket_dir_of
from adapters.postgres.engine import create_engine, create_session_factory
from adapters.postgres.migrate import run_migrations
from adapters.postgres.side_connections import SideConnections
from adapters.postgres.user_repository import PgUserRepository
from application.ports.chunk_index import SearchMode
from benchmarks.scale_corpus import load_sources, passages
from entrypoints.settings import load_settings
from tests.contract.persistence import at, new_document, new_user

Embed = Callable[[list[str]], np.ndarray]
CHUNKS_PER_DOCUMENT = 25


def owner_sizes(total: int) -> dict[str, int]:
    return {"large": int(total * 0.8), "medium": int(total * 0.2), "small": 300}


async def _connect(url: str) -> asyncpg.Connection:
    database = urlsplit(url).path.lstrip("/")
    connection = await asyncpg.connect(user="postgres", database=database, host=socket_dir_of(url))
    await register_vector(connection)
    return connection


async def build(url: str, total: int, seed: int, embed: Embed) -> dict[str, uuid.UUID]:
    """Owner ids by name; builds the data unless this database already holds it."""
    connection = await _connect(url)
    try:
        await connection.execute("CREATE TABLE IF NOT EXISTS bench_meta (key text PRIMARY KEY, value jsonb)")
        stored = await connection.fetchval("SELECT value FROM bench_meta WHERE key = 'owners'")
        if stored is not None:
            named = json.loads(stored)
            return {name: uuid.UUID(named[name]) for name in owner_sizes(total)}
        owners = await _fill(url, connection, total, seed, embed)
        await connection.execute(
            "INSERT INTO bench_meta VALUES ('owners', $1)", json.dumps({k: str(v) for k, v in owners.items()})
        )
        return owners
    finally:
        await connection.close()


async def _fill(url: str, connection: asyncpg.Connection, total: int, seed: int, embed: Embed) -> dict[str, uuid.UUID]:
    rng = random.Random(seed)
    sources, _ = load_sources()
    sizes = owner_sizes(total)
    drawn = passages(sources, sum(sizes.values()), rng)
    started = time.perf_counter()
    vectors = embed([f"{heading}\n{body}" for heading, body in drawn])
    print(f"embedded {len(drawn)} passages in {time.perf_counter() - started:.0f} s", flush=True)
    engine = create_engine(url)
    owners: dict[str, uuid.UUID] = {}
    records = []
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
                    records.append(
                        (
                            uuid.uuid4(),
                            document.id,
                            user.id,
                            ordinal,
                            body,
                            0,
                            len(body),
                            None,
                            [heading],
                            vectors[position],
                        )
                    )
                    position += 1
        await session.commit()
    await engine.dispose()
    rebuilds = await connection.fetch("""
        SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS definition
        FROM pg_index i WHERE i.indrelid = 'chunks'::regclass
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)""")
    for row in rebuilds:
        await connection.execute(f"DROP INDEX {row['name']}")
    started = time.perf_counter()
    await connection.copy_records_to_table(
        "chunks",
        records=records,
        columns=[
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
        ],
    )
    await connection.execute("SET maintenance_work_mem = '1GB'")
    for row in rebuilds:
        await connection.execute(row["definition"])
    await connection.execute("ANALYZE")
    print(f"loaded and indexed in {time.perf_counter() - started:.0f} s", flush=True)
    return owners


async def exact_top(url: str, owner: uuid.UUID, queries: np.ndarray, k: int) -> list[list[float]]:
    """Per query, the cosine distances of the owner's k nearest chunks (exact, in numpy)."""
    connection = await _connect(url)
    try:
        rows = await connection.fetch("SELECT embedding FROM chunks WHERE owner_id = $1", owner)
    finally:
        await connection.close()
    matrix = np.stack([np.asarray(row["embedding"].to_numpy()) for row in rows]).astype(np.float32)
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    distances = 1.0 - queries @ matrix.T
    return [sorted(row)[:k] for row in np.partition(distances, k - 1, axis=1)[:, :k].tolist()]


async def measure(
    url: str, owners: dict[str, uuid.UUID], queries: list[str], vectors: np.ndarray, modes: list[SearchMode]
) -> dict[str, Any]:
    settings = load_settings()
    engine = create_engine(
        url,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_max_overflow,
        hnsw_ef_search=settings.hnsw_ef_search,
        hnsw_max_scan_tuples=settings.hnsw_max_scan_tuples,
    )
    sessions = create_session_factory(engine)
    side = SideConnections(engine, limit=max(1, settings.db_pool_size // 2))  # as the application wires it
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    report: dict[str, Any] = {}
    try:
        for name, owner in owners.items():
            exact = await exact_top(url, owner, unit, 10)
            for mode in modes:
                timings, recalls = [], []
                for warm in (True, False):
                    for number, query in enumerate(queries[:20] if warm else queries):
                        vector = None if mode is SearchMode.KEYWORD else vectors[number].tolist()
                        async with sessions() as session:
                            index = PgChunkIndex(session, settings.hnsw_ef_search, side)
                            started = time.perf_counter()
                            hits = await index.search(owner, query, vector, 10, mode)
                            elapsed = time.perf_counter() - started
                        if warm:
                            continue
                        timings.append(elapsed * 1000)
                        if mode is SearchMode.VECTOR:
                            bound = exact[number][-1] + 1e-5
                            found = sum(1 for hit in hits if 1.0 - hit.score <= bound)
                            recalls.append(found / min(10, len(exact[number])))
                report[f"{name}/{mode.value}"] = _summary(timings, recalls)
                print(f"{name:>7} {mode.value:>8} " + _line(report[f"{name}/{mode.value}"]), flush=True)
    finally:
        await engine.dispose()
    return report


def _summary(timings: list[float], recalls: list[float]) -> dict[str, float]:
    cuts = statistics.quantiles(timings, n=100, method="inclusive")
    summary = {"p50": statistics.median(timings), "p95": cuts[94], "p99": cuts[98]}
    if recalls:
        summary["recall@10"] = statistics.fmean(recalls)
    return summary


def _line(summary: dict[str, float]) -> str:
    line = f"p50 {summary['p50']:7.1f}  p95 {summary['p95']:7.1f}  p99 {summary['p99']:7.1f} ms"
    if "recall@10" in summary:
        line += f"  recall@10 {summary['recall@10']:.3f}"
    return line


def hashing_embed(texts: list[str]) -> np.ndarray:
    embedder = HashingEmbedder(384)
    return np.array([embedder.vector(text) for text in texts], dtype=np.float32)


def cached(embed: Embed, folder: Path, name: str) -> Embed:
    """``embed`` with its results kept in ``folder`` (keyed by the texts), for rebuilding a database."""

    def run(texts: list[str]) -> np.ndarray:
        digest = hashlib.sha256("\0".join(texts).encode()).hexdigest()[:16]
        path = folder / f"{name}-{len(texts)}-{digest}.npy"
        if path.exists():
            cached: np.ndarray = np.load(path)
            return cached
        vectors = embed(texts)
        folder.mkdir(parents=True, exist_ok=True)
        np.save(path, vectors)
        return vectors

    return run


def minilm_embed(texts: list[str]) -> np.ndarray:
    from sentence_transformers import SentenceTransformer

    from adapters.embedding.local_sentence_embedder import bundled_model_dir

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    model = SentenceTransformer(str(bundled_model_dir()), device="cpu", local_files_only=True)
    vectors: np.ndarray = model.encode(texts, batch_size=64, normalize_embeddings=True, convert_to_numpy=True)
    return vectors


async def database_url(server: EmbeddedPostgres, name: str) -> str:
    if name != "postgres":
        connection = await _connect(server.url())
        try:
            if not await connection.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name):
                await connection.execute(f'CREATE DATABASE "{name}"')
        finally:
            await connection.close()
    url = server.url(name)
    await run_migrations(url)
    return url


async def server_facts(url: str) -> dict[str, str]:
    connection = await _connect(url)
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


async def main(args: argparse.Namespace) -> None:
    server = EmbeddedPostgres(args.data_dir / "postgres")
    await asyncio.to_thread(server.start)
    try:
        rng = random.Random(args.seed)
        _, all_queries = load_sources()
        queries = rng.sample(all_queries, min(args.queries, len(all_queries)))
        modes = [SearchMode(mode) for mode in args.modes.split(",") if mode != "none"]
        url = await database_url(server, "postgres")
        owners = await build(url, args.chunks, args.seed, cached(hashing_embed, args.cache_dir, "hashing"))
        print(json.dumps(await server_facts(url)))
        print(f"hashing embedder, {sum(owner_sizes(args.chunks).values())} chunks, {len(queries)} queries, k=10")
        report = {"hashing": await measure(url, owners, queries, hashing_embed(queries), modes)} if modes else {}
        if args.minilm:
            minilm = cached(minilm_embed, args.cache_dir, "minilm")
            minilm_url = await database_url(server, f"minilm_{args.minilm}")
            owners = await build(minilm_url, args.minilm, args.seed, minilm)
            print(f"all-MiniLM-L6-v2, {sum(owner_sizes(args.minilm).values())} chunks, vector mode")
            report["minilm"] = await measure(minilm_url, owners, queries, minilm(queries), [SearchMode.VECTOR])
        if args.json:
            args.json.write_text(json.dumps(report, indent=1))
    finally:
        await asyncio.to_thread(server.stop)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--chunks", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=250)
    parser.add_argument("--modes", default="hybrid,vector,keyword", help="of the hashing database; none: skip")
    parser.add_argument("--minilm", type=int, default=0, metavar="N", help="also N MiniLM chunks (recall)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--data-dir", type=Path, default=Path(tempfile.gettempdir()) / "ragchat-search-scale")
    parser.add_argument(
        "--cache-dir",
        type=Path,
        default=Path(tempfile.gettempdir()) / "ragchat-search-scale-vectors",
        help="embeddings kept between builds",
    )
    parser.add_argument("--json", type=Path, help="also write the figures here")
    asyncio.run(main(parser.parse_args()))
