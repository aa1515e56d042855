"""Search latency and vector recall at scale: ``python -m benchmarks.search_scale [--chunks 100000]``.

Builds (once per ``--data-dir``) an embedded PostgreSQL database with three owners of 80% / 20% of
``--chunks`` and 300 chunks (``search_scale_build``), embedded with the hashing embedder. Then, per owner and
mode, it times ``PgChunkIndex.search`` (k=10, the default settings) over the same queries, in a worker
process per checkout (``search_scale_measure``), and prints p50/p95/p99 with the load average, and two
recall@10 figures of the vector mode against an exact numpy search over the owner's vectors: by identity
(``recall@10``), and ann-benchmarks' distance-based ``k-nn`` recall, where a hit counts when it is no farther
than the exact 10th nearest plus ε = 1e-3 (``ε``, so near-ties are not misses; see ``search_scale_measure``).

``--against CHECKOUT`` also measures another checkout (e.g. a worktree of ``main``) over the same database,
query by query in turns with this one: before/after figures from one run, under the same load. The database
is migrated to this checkout's head, so the other checkout must work with that schema.

``--minilm N`` adds a second database of N chunks embedded with the bundled all-MiniLM-L6-v2 through the
product's ONNX Runtime path (``--backend``; 80% / 20% / 300, vectors cached in ``--cache-dir``) and measures
recall and latency of ``--minilm-modes`` there. 100k passages take about an hour with ``onnx-int8`` on two
shared cores (fp32 ``onnx``: about 1.4 times that); a rerun reads the cache.

``--variant LABEL:NAME=VALUE,...`` (repeatable) measures this checkout with other settings instead, in turns
query by query: ``RAGCHAT_*`` names are ragchat settings (``RAGCHAT_HNSW_EF_SEARCH=200``), other names are
PostgreSQL session settings (``hnsw.iterative_scan=strict_order``). ``--server NAME=VALUE`` (repeatable)
overrides the embedded server's memory settings (``shared_buffers=128MB``; default: ragchat's ``auto``) for
this run; ``--rebuild-vector-index`` times a rebuild of the HNSW index of the MiniLM database with them.
Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import subprocess
import tempfile
from pathlib import Path

from adapters.postgres.embedded import DEFAULT_TUNING, EmbeddedPostgres
from application.ports.chunk_index import SearchMode
from benchmarks.scale_corpus import load_sources
from benchmarks.search_scale_build import build, database_url, owner_sizes, rebuild_vector_index, server_facts
from benchmarks.search_scale_measure import measure
from benchmarks.search_scale_vectors import cached, hashing_embed, minilm_embed

THIS_CHECKOUT = Path(__file__).resolve().parent.parent


def _label(checkout: Path) -> str:
    revision = subprocess.run(
        ["git", "-C", str(checkout), "describe", "--always", "--dirty"], capture_output=True, text=True, check=False
    ).stdout.strip()
    return revision or checkout.name


def _variant(spec: str) -> tuple[str, dict[str, str]]:
    """``LABEL:NAME=VALUE,...`` → (label, the worker's environment)."""
    label, _, assignments = spec.partition(":")
    pairs = [item.split("=", 1) for item in assignments.split(",") if item]
    environment = {name: value for name, value in pairs if name.startswith("RAGCHAT_")}
    session = ";".join(f"{name}={value}" for name, value in pairs if not name.startswith("RAGCHAT_"))
    return label, {**environment, **({"SEARCH_SCALE_SESSION": session} if session else {})}


async def main(args: argparse.Namespace) -> None:
    tuning = {**DEFAULT_TUNING, **dict(item.split("=", 1) for item in args.server)}
    server = EmbeddedPostgres(args.data_dir / "postgres", tuning=tuning)
    await asyncio.to_thread(server.start)
    try:
        _, all_queries = load_sources()
        queries = random.Random(args.seed).sample(all_queries, min(args.queries, len(all_queries)))
        modes = [SearchMode(mode) for mode in args.modes.split(",") if mode != "none"]
        checkouts: dict[str, tuple[Path, dict[str, str]]] = {f"this {_label(THIS_CHECKOUT)}": (THIS_CHECKOUT, {})}
        if args.variant:
            checkouts = {label: (THIS_CHECKOUT, settings) for label, settings in map(_variant, args.variant)}
        if args.against:
            checkouts[f"vs {_label(args.against)}"] = (args.against.resolve(), {})
        report = {}
        if modes:
            url = await database_url(server, "postgres")
            hashing = cached(hashing_embed, args.cache_dir, "hashing")
            owners = await build(url, args.chunks, args.seed, hashing, args.cache_dir)
            print(json.dumps(await server_facts(url)))
            print(f"hashing embedder, {sum(owner_sizes(args.chunks).values())} chunks, {len(queries)} queries, k=10")
            report["hashing"] = await measure(url, checkouts, owners, queries, hashing_embed(queries), modes)
        if args.minilm:
            minilm = cached(minilm_embed(args.backend, args.cache_dir), args.cache_dir, f"minilm-{args.backend}")
            minilm_url = await database_url(server, f"minilm_{args.minilm}")
            owners = await build(minilm_url, args.minilm, args.seed, minilm, args.cache_dir)
            if args.rebuild_vector_index is not None:
                await rebuild_vector_index(minilm_url, args.rebuild_vector_index or None)
            print(json.dumps(await server_facts(minilm_url)))
            minilm_modes = [SearchMode(mode) for mode in args.minilm_modes.split(",")]
            print(f"all-MiniLM-L6-v2 ({args.backend}), {sum(owner_sizes(args.minilm).values())} chunks")
            vectors = minilm(queries)
            report["minilm"] = await measure(minilm_url, checkouts, owners, queries, vectors, minilm_modes)
        if args.json:
            args.json.write_text(json.dumps(report, indent=1))
    finally:
        await asyncio.to_thread(server.stop)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--chunks", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=250)
    parser.add_argument("--modes", default="hybrid,vector,keyword", help="of the hashing database; none: skip")
    parser.add_argument("--against", type=Path, metavar="CHECKOUT", help="also measure this checkout, in turns")
    parser.add_argument("--minilm", type=int, default=0, metavar="N", help="also N MiniLM chunks (recall)")
    parser.add_argument(
        "--backend", default="onnx-int8", choices=["onnx", "onnx-int8", "torch"], help="of the MiniLM database"
    )
    parser.add_argument("--minilm-modes", default="vector,hybrid")
    parser.add_argument("--variant", action="append", default=[], metavar="LABEL:NAME=VALUE,...")
    parser.add_argument("--server", action="append", default=[], metavar="NAME=VALUE", help="embedded server")
    parser.add_argument(
        "--rebuild-vector-index",
        nargs="?",
        const="",
        metavar="OPTIONS",
        help="of the MiniLM database, timed; OPTIONS (m = 24, ef_construction = 128) replace its own",
    )
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
