"""Timing and recall for ``benchmarks.search_scale``: every search goes to a worker process per checkout
(``search_scale_worker``), the checkouts take turns query by query in a random order, so each one's figures
come from the same moments of the machine's load.

Two recall figures of the vector mode, both against an exact numpy search over the owner's chunks, counted
as the search counts hits (one passage per distinct text):

- ``recall@10``: the share of the exact 10 nearest texts that the search returns (by identity);
- ``recall@10ε``: the share of the search's 10 hits whose cosine distance is at most the exact 10th distance
  plus ε = 1e-3, ann-benchmarks' ``k-nn`` recall (``knn_threshold`` in ``ann_benchmarks/plotting/metrics.py``:
  ``data[count - 1] + epsilon``, ``epsilon=1e-3``). A hit as near as the one it displaces counts, so near-ties
  (overlapping windows of one text, a thousandth apart) stop counting as misses. It is never the only figure.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import numpy as np

from application.ports.chunk_index import SearchMode
from benchmarks.search_scale_build import connect

WORKER = Path(__file__).with_name("search_scale_worker.py")
WARM_UP = 20
EPSILON = 1e-3
"""ann-benchmarks' distance tolerance of its ``k-nn`` recall."""


class Worker:
    """A ``search_scale_worker`` process searching with the code of ``checkout`` and the environment
    variables ``settings`` (``RAGCHAT_*`` settings, ``SEARCH_SCALE_SESSION``) on top of ours."""

    def __init__(self, checkout: Path, url: str, settings: dict[str, str] | None = None) -> None:
        environment = {**os.environ, **(settings or {}), "PYTHONPATH": str(checkout)}
        self._process = subprocess.Popen(
            [sys.executable, str(WORKER), url],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=environment,
            cwd=checkout,
        )

    def search(self, owner: uuid.UUID, query: str, vector: list[float] | None, mode: SearchMode) -> dict[str, Any]:
        assert self._process.stdin is not None and self._process.stdout is not None
        request = {"owner": str(owner), "query": query, "vector": vector, "mode": mode.value, "k": 10}
        self._process.stdin.write(json.dumps(request) + "\n")
        self._process.stdin.flush()
        answer = self._process.stdout.readline()
        if not answer:
            raise RuntimeError(f"the search worker stopped (exit code {self._process.wait()})")
        reply: dict[str, Any] = json.loads(answer)
        return reply

    def close(self) -> None:
        if self._process.stdin is not None:
            self._process.stdin.close()
        self._process.wait(timeout=30)


class Exact:
    """An owner's exact nearest texts per query: ``top[q]`` is ``[(cosine distance, text key), ...]``, nearest
    first, one per distinct text; ``text_of`` maps a chunk id to its text key."""

    def __init__(self, top: list[list[tuple[float, str]]], text_of: dict[str, str]) -> None:
        self.top = top
        self.text_of = text_of

    def recalls(self, number: int, reply: dict[str, Any]) -> tuple[float, float]:
        """(id recall, ε-recall) of one search's reply to query ``number``."""
        exact = self.top[number]
        wanted = {key for _, key in exact}
        returned = {self.text_of[chunk_id] for chunk_id in reply["ids"]}
        bound = exact[-1][0] + EPSILON
        near = sum(1 for score in reply["scores"][: len(exact)] if 1.0 - score <= bound)
        return len(wanted & returned) / len(exact), near / len(exact)


async def exact_top(url: str, owner: uuid.UUID, queries: np.ndarray, k: int) -> Exact:
    """The owner's k nearest distinct texts per query (exact, in numpy)."""
    connection = await connect(url)
    try:
        rows = await connection.fetch("SELECT id, md5(text) AS key, embedding FROM chunks WHERE owner_id = $1", owner)
    finally:
        await connection.close()
    keys = [row["key"] for row in rows]
    matrix = np.stack([np.asarray(row["embedding"].to_numpy()) for row in rows]).astype(np.float32)
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    distances = 1.0 - queries @ matrix.T
    deep = min(len(keys), k + 40)  # room for copies of one text among the nearest
    nearest = np.argpartition(distances, deep - 1, axis=1)[:, :deep]
    top: list[list[tuple[float, str]]] = []
    for row, candidates in zip(distances, nearest, strict=True):
        distinct: dict[str, float] = {}
        for index in sorted(candidates.tolist(), key=lambda i: row[i]):
            distinct.setdefault(keys[index], float(row[index]))
        top.append(sorted((d, key) for key, d in distinct.items())[:k])
    return Exact(top, {str(row["id"]): row["key"] for row in rows})


async def measure(
    url: str,
    checkouts: dict[str, tuple[Path, dict[str, str]]],
    owners: dict[str, uuid.UUID],
    queries: list[str],
    vectors: np.ndarray,
    modes: list[SearchMode],
) -> dict[str, dict[str, dict[str, float]]]:
    """``{label: {"owner/mode": p50/p95/p99 (and recall@10 of the vector mode)}}``; ``checkouts``: label →
    (checkout, its worker's settings), taking turns query by query."""
    workers = {label: Worker(path, url, settings) for label, (path, settings) in checkouts.items()}
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    order = random.Random(1)
    report: dict[str, dict[str, dict[str, float]]] = {label: {} for label in workers}
    try:
        for name, owner in owners.items():
            exact = await exact_top(url, owner, unit, 10)
            for mode in modes:
                timings: dict[str, list[float]] = {label: [] for label in workers}
                recalls: dict[str, list[tuple[float, float]]] = {label: [] for label in workers}
                numbered = [(n, q, True) for n, q in enumerate(queries[:WARM_UP])]
                for number, query, warm in numbered + [(n, q, False) for n, q in enumerate(queries)]:
                    vector = None if mode is SearchMode.KEYWORD else vectors[number].tolist()
                    for label in order.sample(list(workers), len(workers)):
                        reply = workers[label].search(owner, query, vector, mode)
                        if warm:
                            continue
                        timings[label].append(reply["ms"])
                        if mode is SearchMode.VECTOR:
                            recalls[label].append(exact.recalls(number, reply))
                for label in workers:
                    summary = report[label][f"{name}/{mode.value}"] = _summary(timings[label], recalls[label])
                    print(f"{label:>14} {name:>7} {mode.value:>8} {line(summary)}", flush=True)
    finally:
        for worker in workers.values():
            worker.close()
    return report


def _summary(timings: list[float], recalls: list[tuple[float, float]]) -> dict[str, float]:
    cuts = statistics.quantiles(timings, n=100, method="inclusive")
    summary = {"p50": statistics.median(timings), "p95": cuts[94], "p99": cuts[98]}
    if recalls:
        summary["recall@10"] = statistics.fmean(by_id for by_id, _ in recalls)
        summary["recall@10ε"] = statistics.fmean(near for _, near in recalls)
    return summary


def line(summary: dict[str, float]) -> str:
    text = f"p50 {summary['p50']:7.1f}  p95 {summary['p95']:7.1f}  p99 {summary['p99']:7.1f} ms"
    if "recall@10" in summary:
        text += f"  recall@10 {summary['recall@10']:.3f}  ε {summary['recall@10ε']:.3f}"
    return text + f"  (load {os.getloadavg()[0]:.1f})"
