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

The vector evidence gets a document list too (``by_vector_evidence``): the documents of the vector leg's
passages, ranked by how close the best of their passages is to the question plus half how close their *opening*
passage (their first chunk, with the title and the lead) is. A passage is compared alone, so a page whose best
passage is a detail loses to another page's detail that happens to be nearer, while the page's opening says what
the whole page is about (whole-document MiniLM, which reads only a page's first 256 word pieces, beat the passage
vector leg on the held-out set). Like the keyword evidence, the vector evidence keeps its weight of 1, split
between the passage list and this one (``OPENING_SHARE``); it lifts only a document's best passage, and needs no
query beyond the vector leg (the opening's distance comes with each hit). Ranked by their opening alone, the
documents lifted questions about a whole page (mandocs dev half, pkgdocs) more, but pulled questions about one
detail deep in a page down (mandocs ``details``: nDCG@10 0.8737 without the list, 0.8593 with it), because the
page whose detail answers them rarely opens with anything like it; with the best passage counted too, the
detail's page keeps its place (0.8730) and most of the gain on whole pages stays. Grid in operations.md
("Answer quality").
"""

from __future__ import annotations

import uuid
from collections.abc import Hashable, Mapping, Sequence
from typing import TypeVar

from domain.documents import Passage

RRF_K = 20
DOCUMENT_SHARE = 0.5
"""The share of the keyword evidence's weight that goes to the document ranking (``fuse_hybrid``)."""
OPENING_SHARE = 0.5
"""The share of the vector evidence's weight that goes to the documents' ranking (``by_vector_evidence``)."""
OPENING_WEIGHT = 0.5
"""How much a document's opening counts in that ranking next to its best passage (which counts 1)."""
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
    openings: Mapping[uuid.UUID, float] | None = None,
    k: int = RRF_K,
    document_share: float = DOCUMENT_SHARE,
    opening_share: float = OPENING_SHARE,
) -> list[tuple[Passage, float]]:
    """Weighted reciprocal rank fusion of the vector leg's passages (weight ``1 - opening_share``, or 1 without
    ``openings``) and the keyword leg's (weight ``1 - document_share``); then each document's best passage gains
    ``document_share / (k + rank)`` for the document's rank in ``documents``, and ``opening_share / (k + rank)``
    for its rank in ``by_vector_evidence(nearest, openings)``. A document's best passage is the one its passages'
    fusion ranks first with the vector leg at its full weight, as without openings: the document rankings
    decide where a document goes, not which of its passages stands for it. A document none of whose passages
    is in the rankings gains nothing. Best first; ties keep the order of first appearance."""
    opened = by_vector_evidence(nearest, openings or {})
    opening_weight = opening_share if opened else 0.0
    by_id = {passage.chunk_id: passage for ranking in (nearest, matching) for passage in ranking}
    ids = [[passage.chunk_id for passage in ranking] for ranking in (nearest, matching)]
    fused = reciprocal_rank_fusion(ids, k, (1 - opening_weight, 1 - document_share))
    position = {chunk_id: place for place, (chunk_id, _) in enumerate(fused)}
    best: dict[uuid.UUID, int] = {}
    for chunk_id, _ in reciprocal_rank_fusion(ids, k, (1.0, 1 - document_share)) if opening_weight else fused:
        best.setdefault(by_id[chunk_id].document_id, position[chunk_id])
    scores = [score for _, score in fused]
    for share, ranking in ((document_share, documents), (opening_weight, opened)):
        for rank, document_id in enumerate(ranking, start=1):
            if document_id in best:
                scores[best[document_id]] += share / (k + rank)
    order = sorted(range(len(fused)), key=lambda place: (-scores[place], place))
    return [(by_id[fused[place][0]], scores[place]) for place in order]


def by_vector_evidence(
    nearest: Sequence[Passage], openings: Mapping[uuid.UUID, float], opening_weight: float = OPENING_WEIGHT
) -> list[uuid.UUID]:
    """The documents of ``nearest`` (the vector leg's passages, each with its similarity to the question), ranked
    by the similarity of their best passage there plus ``opening_weight`` times that of their opening passage
    (``openings``: document → cosine similarity), best first; ties keep the order of ``nearest``. A document
    without an opening in ``openings`` is left out."""
    best: dict[uuid.UUID, float] = {}
    for passage in nearest:
        similarity = passage.similarity if passage.similarity is not None else passage.score
        if passage.document_id in openings:
            best[passage.document_id] = max(best.get(passage.document_id, similarity), similarity)
    return sorted(best, key=lambda document: -(best[document] + opening_weight * openings[document]))


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
