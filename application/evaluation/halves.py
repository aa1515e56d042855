"""A dataset's queries split into two fixed halves: ``dev`` to tune search settings on, ``test`` to measure the
result once. A query's half comes from a hash of its id alone, so the split does not depend on the order of
``queries.jsonl``, on the other queries, or on the Python process (``hash()`` is salted; SHA-256 is not).
Follow-up and off-topic questions are not split: only the held-out set needs the split, and it has neither.
"""

from __future__ import annotations

import hashlib
from typing import Literal

import msgspec

from application.evaluation.beir import Dataset

Half = Literal["dev", "test"]
HALVES: tuple[Half, ...] = ("dev", "test")


def half_of(query_id: str) -> Half:
    return "dev" if hashlib.sha256(query_id.encode()).digest()[0] % 2 == 0 else "test"


def only_half(dataset: Dataset, half: Half) -> Dataset:
    """The dataset with only the queries (and their judgements) of ``half``; the corpus is untouched."""
    queries = [query for query in dataset.queries if half_of(query.id) == half]
    kept = {query.id for query in queries}
    qrels = {query_id: judged for query_id, judged in dataset.qrels.items() if query_id in kept}
    return msgspec.structs.replace(dataset, queries=queries, qrels=qrels)
