"""Reciprocal rank fusion (Cormack et al., 2009): one ranking from several, using ranks only.

Ranks rather than scores because cosine similarity and ``ts_rank`` live on unrelated scales. ``k`` damps the
advantage of the very top ranks of any single list: the paper's 60 damps it more than our two legs need. On the
pkgdocs evaluation set (``ragchat eval retrieval``, hybrid, answer-sized searches) k = 20 scored nDCG@10 0.9193
(follow-up questions 0.9195) against 0.9171 (0.9168) with 60; k = 10 scored 0.9215 but 0.9149 on follow-ups;
weighting the vector leg 0.8 (0.9165) or a shallower or deeper candidate pool (30: 0.9166, 100: 0.9156) did not
do better.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import TypeVar

from domain.documents import Passage

RRF_K = 20
T = TypeVar("T", bound=Hashable)


def reciprocal_rank_fusion(rankings: Sequence[Sequence[T]], k: int = RRF_K) -> list[tuple[T, float]]:
    """Items with their fused score, best first; ties keep the order of first appearance."""
    scores: dict[T, float] = {}
    for ranking in rankings:
        for rank, item in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + 1.0 / (k + rank)
    order = {item: position for position, item in enumerate(scores)}
    return sorted(scores.items(), key=lambda pair: (-pair[1], order[pair[0]]))


def candidate_pool(k: int) -> int:
    """How many hits each ranking contributes before fusion: enough that a passage ranked well by one list
    but outside the other's top k still competes, and no more: deep lists let passages that are mediocre in
    both rankings outscore one that is first in one of them."""
    return max(k, 50)


def without_identical_texts(rankings: Sequence[Sequence[Passage]]) -> list[list[Passage]]:
    """Each ranking keeps one passage per distinct text, and every ranking names a text by the same passage
    (the first met, ranking by ranking), so fusion adds up the evidence for a text instead of splitting it
    between copies. Copies arise when the same paragraph (a licence, a boilerplate footer) is in several files."""
    chosen: dict[str, Passage] = {}
    deduplicated: list[list[Passage]] = []
    for ranking in rankings:
        seen: set[str] = set()
        kept: list[Passage] = []
        for passage in ranking:
            if passage.text in seen:
                continue
            seen.add(passage.text)
            kept.append(chosen.setdefault(passage.text, passage))
        deduplicated.append(kept)
    return deduplicated


def single_mode_pool(k: int) -> int:
    """Extra hits a single-mode search fetches, so dropping copies of a text still leaves ``k``."""
    return k + min(k, 20)
