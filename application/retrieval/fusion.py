"""Reciprocal rank fusion (Cormack et al., 2009): one ranking from several, using ranks only.

Ranks rather than scores because cosine similarity and ``ts_rank`` live on unrelated scales. ``k`` damps the
advantage of the very top ranks of any single list: the paper's 60 damps it more than our two legs need. On the
pkgdocs evaluation set (``ragchat eval retrieval``, hybrid, answer-sized searches) k = 20 scored nDCG@10 0.9193
(follow-up questions 0.9195) against 0.9171 (0.9168) with 60; k = 10 scored 0.9215 but 0.9149 on follow-ups;
weighting the vector leg 0.8 (0.9165) or a shallower or deeper candidate pool (30: 0.9166, 100: 0.9156) did not
do better.

``fuse_hybrid`` adds a third list, documents ranked by the question's words over all their passages: each
document's place in it lifts only its best passage (the one the passage lists ranked highest), so a long
document does not flood the results with its passages, and a right passage whose document holds the rest of the
question's words elsewhere climbs above passages that hold every word but belong to the wrong document. The
keyword evidence keeps its weight of 1 against the vector leg's, split between the passage keyword list and the
document list (``DOCUMENT_SHARE``): a third list of full weight doubled the vote of keywords, and on questions
whose words the right document lacks it pulled right vector answers down. On the dev half of the held-out
mandocs set (``--half dev``, 189 questions; hybrid nDCG@10 0.7718 without the document list) a full-weight
list scored 0.7742 (weight 0.5: 0.7727, 1.5: 0.7708, 2: 0.7639, 3: 0.7568; a steeper list, k 5 or 1: 0.743 and
0.7325; k 60: 0.7729); sharing scored 0.7822 (share 0.3), 0.7834 (0.5), 0.7883 (0.7) and 0.7735 (1.0: no
passage keyword list); on pkgdocs (hybrid 0.9168) 0.5 scored 0.9158 and 0.7 scored 0.9107, so 0.5.
"""

from __future__ import annotations

import uuid
from collections.abc import Hashable, Sequence
from typing import TypeVar

from domain.documents import Passage

RRF_K = 20
DOCUMENT_SHARE = 0.5
"""The share of the keyword evidence's weight that goes to the document ranking (``fuse_hybrid``)."""
T = TypeVar("T", bound=Hashable)


def reciprocal_rank_fusion(
    rankings: Sequence[Sequence[T]], k: int = RRF_K, weights: Sequence[float] | None = None
) -> list[tuple[T, float]]:
    """Items with their fused score (each ranking's ``weight / (k + rank)``, weight 1 by default), best
    first; ties keep the order of first appearance."""
    scores: dict[T, float] = {}
    for ranking, weight in zip(rankings, weights or [1.0] * len(rankings), strict=True):
        for rank, item in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + weight / (k + rank)
    order = {item: position for position, item in enumerate(scores)}
    return sorted(scores.items(), key=lambda pair: (-pair[1], order[pair[0]]))


def fuse_hybrid(
    nearest: Sequence[Passage],
    matching: Sequence[Passage],
    documents: Sequence[uuid.UUID],
    k: int = RRF_K,
    document_share: float = DOCUMENT_SHARE,
) -> list[tuple[Passage, float]]:
    """Weighted reciprocal rank fusion of the vector leg's passages (weight 1) and the keyword leg's (weight
    ``1 - document_share``); then the passage ranked first among its document's gains ``document_share /
    (k + rank)`` for the document's rank in ``documents``. A document none of whose passages is in the
    rankings gains nothing. Best first; ties keep the order of first appearance."""
    by_id = {passage.chunk_id: passage for ranking in (nearest, matching) for passage in ranking}
    fused = reciprocal_rank_fusion(
        [[passage.chunk_id for passage in ranking] for ranking in (nearest, matching)], k, (1.0, 1 - document_share)
    )
    best: dict[uuid.UUID, int] = {}
    for position, (chunk_id, _) in enumerate(fused):
        best.setdefault(by_id[chunk_id].document_id, position)
    scores = [score for _, score in fused]
    for rank, document_id in enumerate(documents, start=1):
        if document_id in best:
            scores[best[document_id]] += document_share / (k + rank)
    order = sorted(range(len(fused)), key=lambda position: (-scores[position], position))
    return [(by_id[fused[position][0]], scores[position]) for position in order]


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
