"""What an HNSW build option costs while indexing: ``python -m benchmarks.hnsw_build_cost [--rows 20000]``.

Per ``ef_construction`` (in turns, ``--rounds`` times, so each option sees the same load): the time to build
the index over ``--rows`` MiniLM vectors cached by ``benchmarks.search_scale --minilm`` (bulk: a migration,
``ragchat ingest``, a rebuild), and the time per row to insert ``--inserts`` more into it one statement at a
time (as a document's chunks are indexed), in a scratch database of the embedded server in ``--data-dir``.
Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
from pathlib import Path

import asyncpg
import numpy as np

from adapters.postgres.embedded import DEFAULT_TUNING, EmbeddedPostgres, socket_dir_of
from benchmarks.search_scale_build import connect


async def one_round(url: str, vectors: np.ndarray, rows: int, inserts: int, m: int, ef: int) -> tuple[float, float]:
    """(build seconds, ms per inserted row)."""
    connection = await connect(url)
    try:
        await connection.execute("DROP TABLE IF EXISTS hnsw_cost")
        await connection.execute(f"CREATE TABLE hnsw_cost (id int PRIMARY KEY, embedding vector({vectors.shape[1]}))")
        records = list(enumerate(vectors[:rows]))
        await connection.copy_records_to_table("hnsw_cost", records=records, columns=["id", "embedding"])
        started = time.perf_counter()
        await connection.execute(
            f"CREATE INDEX ON hnsw_cost USING hnsw (embedding vector_cosine_ops) WITH (m = {m}, ef_construction = {ef})"
        )
        built = time.perf_counter() - started
        started = time.perf_counter()
        for number in range(rows, rows + inserts):
            await connection.execute("INSERT INTO hnsw_cost VALUES ($1, $2)", number, vectors[number])
        per_row = (time.perf_counter() - started) / inserts * 1000
        await connection.execute("DROP TABLE hnsw_cost")
        return built, per_row
    finally:
        await connection.close()


async def main(args: argparse.Namespace) -> None:
    vectors = np.load(args.vectors)[: args.rows + args.inserts]
    server = EmbeddedPostgres(args.data_dir / "postgres", tuning=DEFAULT_TUNING)
    await asyncio.to_thread(server.start)
    try:
        admin = await connect(server.url())
        if not await admin.fetchval("SELECT 1 FROM pg_database WHERE datname = 'hnsw_cost'"):
            await admin.execute("CREATE DATABASE hnsw_cost")
        await admin.close()
        url = server.url("hnsw_cost")
        setup = await asyncpg.connect(user="postgres", database="hnsw_cost", host=socket_dir_of(url))
        await setup.execute("CREATE EXTENSION IF NOT EXISTS vector")
        await setup.close()
        figures: dict[int, list[tuple[float, float]]] = {ef: [] for ef in args.ef_construction}
        for _ in range(args.rounds):
            for ef in args.ef_construction:
                figures[ef].append(await one_round(url, vectors, args.rows, args.inserts, args.m, ef))
                print(f"  m {args.m} ef_construction {ef}: build {figures[ef][-1][0]:.1f} s, insert "
                      f"{figures[ef][-1][1]:.2f} ms/row (load {os.getloadavg()[0]:.1f})", flush=True)  # fmt: skip
        for ef, rounds in figures.items():
            build, insert = statistics.median(b for b, _ in rounds), statistics.median(i for _, i in rounds)
            print(f"m {args.m} ef_construction {ef}: build median {build:.1f} s ({args.rows} rows), "
                  f"insert median {insert:.2f} ms/row")  # fmt: skip
    finally:
        await asyncio.to_thread(server.stop)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("vectors", type=Path, help="a .npy of vectors (search_scale's MiniLM cache)")
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--inserts", type=int, default=1_000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--m", type=int, default=16)
    parser.add_argument("--ef-construction", type=int, nargs="+", default=[128, 200, 400])
    parser.add_argument("--data-dir", type=Path, default=Path(tempfile.gettempdir()) / "ragchat-search-scale")
    asyncio.run(main(parser.parse_args()))
