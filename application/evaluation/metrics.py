"""nDCG@k, recall@k and MRR@k as BEIR computes them (through trec_eval): graded gains for nDCG, relevance
means a grade above zero, and a query without any relevant document is left out of the averages.

``ranked`` is a list of document ids, best first, without duplicates; ``qrels`` maps document id → grade.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence

Qrels = Mapping[str, int]


def ndcg_at_k(ranked: Sequence[str], qrels: Qrels, k: int) -> float:
    """DCG = Σ grade / log2(rank + 1) over the top k, divided by the DCG of the ideal ordering."""
    dcg = sum(qrels.get(doc, 0) / math.log2(rank + 1) for rank, doc in enumerate(ranked[:k], start=1))
    ideal = sorted((grade for grade in qrels.values() if grade > 0), reverse=True)[:k]
    idcg = sum(grade / math.log2(rank + 1) for rank, grade in enumerate(ideal, start=1))
    return dcg / idcg if idcg else 0.0


def recall_at_k(ranked: Sequence[str], qrels: Qrels, k: int) -> float:
    relevant = {doc for doc, grade in qrels.items() if grade > 0}
    if not relevant:
        return 0.0
    return len(relevant.intersection(ranked[:k])) / len(relevant)


def mrr_at_k(ranked: Sequence[str], qrels: Qrels, k: int) -> float:
    for rank, doc in enumerate(ranked[:k], start=1):
        if qrels.get(doc, 0) > 0:
            return 1.0 / rank
    return 0.0


METRICS: dict[str, Callable[[Sequence[str], Qrels], float]] = {
    "ndcg@10": lambda ranked, qrels: ndcg_at_k(ranked, qrels, 10),
    "recall@10": lambda ranked, qrels: recall_at_k(ranked, qrels, 10),
    "recall@100": lambda ranked, qrels: recall_at_k(ranked, qrels, 100),
    "mrr@10": lambda ranked, qrels: mrr_at_k(ranked, qrels, 10),
}


def evaluate(runs: Mapping[str, Sequence[str]], qrels: Mapping[str, Qrels]) -> dict[str, float]:
    """Mean of every metric over the queries that have at least one relevant document (a query with no run
    counts as an empty ranking)."""
    judged = [query for query, grades in qrels.items() if any(grade > 0 for grade in grades.values())]
    if not judged:
        return {name: 0.0 for name in METRICS}
    return {
        name: sum(metric(runs.get(query, []), qrels[query]) for query in judged) / len(judged)
        for name, metric in METRICS.items()
    }


def unique_in_order(ids: Sequence[str]) -> list[str]:
    """Passages → documents: a document ranks where its best passage ranks."""
    return list(dict.fromkeys(ids))
