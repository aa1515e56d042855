"""Timing and recall for ``benchmarks.search_scale``: every search goes to a worker process per checkout
(``search_scale_worker``), the checkouts take turns query by query in a random order, so each one's figures
come from the same moments of the machine's load."""

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


async def exact_top(url: str, owner: uuid.UUID, queries: np.ndarray, k: int) -> list[list[float]]:
    """Per query, the cosine distances of the owner's k nearest chunks (exact, in numpy)."""
    connection = await connect(url)
    try:
        rows = await connection.fetch("SELECT embedding FROM chunks WHERE owner_id = $1", owner)
    finally:
        await connection.close()
    matrix = np.stack([np.asarray(row["embedding"].to_numpy()) for row in rows]).astype(np.float32)
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    distances = 1.0 - queries @ matrix.T
    return [sorted(row)[:k] for row in np.partition(distances, k - 1, axis=1)[:, :k].tolist()]


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
                recalls: dict[str, list[float]] = {label: [] for label in workers}
                numbered = [(n, q, True) for n, q in enumerate(queries[:WARM_UP])]
                for number, query, warm in numbered + [(n, q, False) for n, q in enumerate(queries)]:
                    vector = None if mode is SearchMode.KEYWORD else vectors[number].tolist()
                    for label in order.sample(list(workers), len(workers)):
                        reply = workers[label].search(owner, query, vector, mode)
                        if warm:
                            continue
                        timings[label].append(reply["ms"])
                        if mode is SearchMode.VECTOR:
                            bound = exact[number][-1] + 1e-5
                            found = sum(1 for score in reply["scores"] if 1.0 - score <= bound)
                            recalls[label].append(found / min(10, len(exact[number])))
                for label in workers:
                    summary = report[label][f"{name}/{mode.value}"] = _summary(timings[label], recalls[label])
                    print(f"{label:>14} {name:>7} {mode.value:>8} {line(summary)}", flush=True)
    finally:
        for worker in workers.values():
            worker.close()
    return report


def _summary(timings: list[float], recalls: list[float]) -> dict[str, float]:
    cuts = statistics.quantiles(timings, n=100, method="inclusive")
    summary = {"p50": statistics.median(timings), "p95": cuts[94], "p99": cuts[98]}
    if recalls:
        summary["recall@10"] = statistics.fmean(recalls)
    return summary


def line(summary: dict[str, float]) -> str:
    text = f"p50 {summary['p50']:7.1f}  p95 {summary['p95']:7.1f}  p99 {summary['p99']:7.1f} ms"
    if "recall@10" in summary:
        text += f"  recall@10 {summary['recall@10']:.3f}"
    return text + f"  (load {os.getloadavg()[0]:.1f})"
