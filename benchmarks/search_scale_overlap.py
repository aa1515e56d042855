"""How much of the HNSW recall gap of ``benchmarks.search_scale`` is its corpus:
``python -m benchmarks.search_scale_overlap [--minilm 100000]``, after ``search_scale --minilm`` built the
database and cached its vectors (nothing is embedded here).

The corpus re-samples a few hundred installed texts into overlapping windows (``scale_corpus.passages``), so
the same words recur in dozens of chunks. This locates each chunk's window (its text and word span) and
prints, for the large owner:

1. on the database's own index, per ``--ef-search``: recall@10 (by identity and ann-benchmarks' ε = 1e-3, as
   ``search_scale_measure``), and the share of missed exact neighbours whose window overlaps a window the
   search did return (a near-copy of a hit) and whose text is among the hits' texts;
2. a fresh HNSW index (``--options``) over the owner's windows that overlap no other kept window of the same
   text, against one over as many of its windows drawn at random: recall@10 of each at small ``ef_search``
   values, where the harder graph shows.

Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import tempfile
from collections import defaultdict
from pathlib import Path

import numpy as np

from adapters.postgres.embedded import DEFAULT_TUNING, EmbeddedPostgres
from benchmarks.scale_corpus import load_sources
from benchmarks.search_scale_build import connect, drawn_passages, owner_sizes
from benchmarks.search_scale_measure import EPSILON
from benchmarks.search_scale_vectors import cached, minilm_embed

Window = tuple[int, int, int]
"""(source number, first word, end word)."""


def windows(drawn: list[tuple[str, str]]) -> list[Window]:
    """Where each passage was cut from (``scale_corpus.passages`` keeps only its heading and words)."""
    sources, _ = load_sources()
    by_title: dict[str, list[int]] = defaultdict(list)
    for number, source in enumerate(sources):
        by_title[source.title].append(number)
    starts: dict[int, dict[tuple[str, ...], list[int]]] = {}
    found: list[Window] = []
    for title, body in drawn:
        words = body.split(" ")
        for number in by_title[title]:
            if number not in starts:
                text = sources[number].words
                starts[number] = defaultdict(list)
                for offset in range(len(text) - 2):
                    starts[number][tuple(text[offset : offset + 3])].append(offset)
            text = sources[number].words
            hit = next((o for o in starts[number][tuple(words[:3])] if text[o : o + len(words)] == words), None)
            if hit is not None:
                found.append((number, hit, hit + len(words)))
                break
        else:
            raise SystemExit(f"passage of {title!r} not found: the installed texts changed since the draw")
    return found


def non_overlapping(spans: dict[int, Window]) -> list[int]:
    """Positions of a largest set of windows no two of which overlap within one text (earliest end first)."""
    kept: list[int] = []
    ends: dict[int, int] = {}
    for position, (source, first, end) in sorted(spans.items(), key=lambda item: (item[1][0], item[1][2])):
        if first >= ends.get(source, -1):
            kept.append(position)
            ends[source] = end
    return kept


def exact(queries: np.ndarray, vectors: np.ndarray, k: int = 10) -> tuple[np.ndarray, np.ndarray]:
    """(positions, cosine distances) of the k nearest rows per query, nearest first (rows are unit vectors)."""
    distances = 1.0 - queries @ vectors.T
    top = np.argsort(distances, axis=1)[:, :k]
    return top, np.take_along_axis(distances, top, axis=1)


def overlaps(a: Window, b: Window) -> bool:
    return a[0] == b[0] and a[1] < b[2] and b[1] < a[2]


def recall(found: list[list[int]], truth: np.ndarray, found_distances: list[list[float]], bound: np.ndarray) -> str:
    """Recall@10 by identity and ann-benchmarks' ε-recall, over all queries."""
    by_id = np.mean([len(set(f) & set(t.tolist())) / len(t) for f, t in zip(found, truth, strict=True)])
    near = np.mean([sum(d <= b + EPSILON for d in ds) / 10 for ds, b in zip(found_distances, bound, strict=True)])
    return f"recall@10 {by_id:.3f}  ε {near:.3f}"


async def own_index(url: str, owner: str, positions: list[int], spans: list[Window], bodies: list[str],
                    queries: np.ndarray, vectors: np.ndarray, ef_searches: list[int]) -> None:  # fmt: skip
    """Part 1: the searches the benchmark measures, and what their misses are."""
    first_of: dict[str, int] = {}
    for position in positions:
        first_of.setdefault(bodies[position], position)
    distinct = sorted(first_of.values())
    top, distances = exact(queries, vectors[distinct])
    truth = np.asarray(distinct)[top]
    print(f"large owner: {len(positions)} chunks, {len(distinct)} distinct texts; exact top 10 from a median of "
          f"{np.median([len({spans[p][0] for p in row}) for row in truth]):.0f} texts")  # fmt: skip
    connection = await connect(url)
    try:
        await connection.execute("SET hnsw.iterative_scan = relaxed_order")
        for ef_search in ef_searches:
            await connection.execute(f"SET hnsw.ef_search = {ef_search}")
            found: list[list[int]] = []
            found_distances: list[list[float]] = []
            for query in queries:
                rows = await connection.fetch(
                    "SELECT text, embedding <=> $1 AS d FROM chunks WHERE owner_id = $2 ORDER BY embedding <=> $1 "
                    "LIMIT 20", query, owner)  # fmt: skip
                hits: dict[int, float] = {}
                for row in sorted(rows, key=lambda row: row["d"]):
                    hits.setdefault(first_of[row["text"]], row["d"])
                found.append(list(hits)[:10])
                found_distances.append(list(hits.values())[:10])
            misses = [(p, f) for f, t in zip(found, truth, strict=True) for p in t.tolist() if p not in f]
            near_copy = sum(any(overlaps(spans[p], spans[h]) for h in f) for p, f in misses)
            same_text = sum(any(spans[p][0] == spans[h][0] for h in f) for p, f in misses)
            print(f"  own index, ef_search {ef_search}: {recall(found, truth, found_distances, distances[:, -1])}; "
                  f"{len(misses)} misses, {near_copy / max(1, len(misses)):.0%} overlap a hit's window, "
                  f"{same_text / max(1, len(misses)):.0%} of a hit's text")  # fmt: skip
    finally:
        await connection.close()


async def fresh_index(url: str, name: str, rows: np.ndarray, queries: np.ndarray, options: str,
                      ef_searches: list[int]) -> None:  # fmt: skip
    """Part 2: an index over ``rows`` alone, searched without any filter."""
    top, distances = exact(queries, rows)
    connection = await connect(url)
    try:
        await connection.execute(f"DROP TABLE IF EXISTS {name}")
        await connection.execute(f"CREATE TABLE {name} (id int PRIMARY KEY, embedding vector({rows.shape[1]}))")
        await connection.copy_records_to_table(name, records=list(enumerate(rows)), columns=["id", "embedding"])
        await connection.execute(f"CREATE INDEX ON {name} USING hnsw (embedding vector_cosine_ops) WITH ({options})")
        for ef_search in ef_searches:
            await connection.execute(f"SET hnsw.ef_search = {ef_search}")
            found: list[list[int]] = []
            found_distances: list[list[float]] = []
            for query in queries:
                result = await connection.fetch(
                    f"SELECT id, embedding <=> $1 AS d FROM {name} ORDER BY embedding <=> $1 LIMIT 10", query
                )
                found.append([row["id"] for row in result])
                found_distances.append([row["d"] for row in result])
            print(f"  {name} ({len(rows)} rows), ef_search {ef_search}: "
                  f"{recall(found, top, found_distances, distances[:, -1])}")  # fmt: skip
        await connection.execute(f"DROP TABLE {name}")
    finally:
        await connection.close()


async def main(args: argparse.Namespace) -> None:
    sizes = owner_sizes(args.minilm)
    drawn = drawn_passages(sum(sizes.values()), args.seed, args.cache_dir)
    embed = cached(minilm_embed(args.backend, args.cache_dir), args.cache_dir, f"minilm-{args.backend}")
    vectors = embed([f"{heading}\n{body}" for heading, body in drawn])
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    _, all_queries = load_sources()
    texts = random.Random(args.seed).sample(all_queries, min(args.queries, len(all_queries)))
    queries = embed(texts)
    queries /= np.linalg.norm(queries, axis=1, keepdims=True)
    spans = windows(drawn)
    bodies = [body for _, body in drawn]
    large = list(range(sizes["large"]))  # the build gives the large owner the first passages
    server = EmbeddedPostgres(args.data_dir / "postgres", tuning=DEFAULT_TUNING)
    await asyncio.to_thread(server.start)
    try:
        url = server.url(f"minilm_{args.minilm}")
        connection = await connect(url)
        owner = await connection.fetchval("SELECT (value ->> 'large')::uuid FROM bench_meta WHERE key = 'owners'")
        await connection.close()
        await own_index(url, owner, large, spans, bodies, queries, vectors, args.own_ef_search)
        kept = non_overlapping({p: spans[p] for p in large})
        distinct = sorted({bodies[p]: p for p in large}.values())
        drawn_at_random = sorted(random.Random(args.seed).sample(distinct, len(kept)))
        print(f"fresh indexes ({args.options}): {len(kept)} windows overlapping no other kept one vs as many "
              f"of the large owner's windows at random")  # fmt: skip
        await fresh_index(url, "overlap_free", vectors[kept], queries, args.options, args.fresh_ef_search)
        await fresh_index(url, "overlap_random", vectors[drawn_at_random], queries, args.options, args.fresh_ef_search)
    finally:
        await asyncio.to_thread(server.stop)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--minilm", type=int, default=100_000, metavar="N", help="as given to search_scale")
    parser.add_argument("--backend", default="onnx-int8", choices=["onnx", "onnx-int8", "torch"])
    parser.add_argument("--queries", type=int, default=250)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--own-ef-search", type=int, nargs="+", default=[200, 800])
    parser.add_argument("--fresh-ef-search", type=int, nargs="+", default=[10, 20, 40])
    parser.add_argument("--options", default="m = 16, ef_construction = 128", help="of the fresh indexes")
    parser.add_argument("--data-dir", type=Path, default=Path(tempfile.gettempdir()) / "ragchat-search-scale")
    parser.add_argument("--cache-dir", type=Path, default=Path(tempfile.gettempdir()) / "ragchat-search-scale-vectors")
    asyncio.run(main(parser.parse_args()))
