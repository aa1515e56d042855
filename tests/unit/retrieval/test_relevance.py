from __future__ import annotations

import uuid

from application.evaluation.decline import decline_rates
from application.retrieval.relevance import below_floor, best_similarity
from domain.documents import Passage


def _passage(similarity: float | None) -> Passage:
    return Passage(
        chunk_id=uuid.uuid4(),
        document_id=uuid.uuid4(),
        filename="a.md",
        ordinal=0,
        text="t",
        score=0.03,
        similarity=similarity,
    )


def test_the_closest_passage_decides() -> None:
    passages = [_passage(None), _passage(0.21), _passage(0.44)]
    assert best_similarity(passages) == 0.44
    assert not below_floor(passages, 0.4) and below_floor(passages, 0.45)


def test_no_floor_nothing_found_or_no_similarity_never_declines() -> None:
    assert not below_floor([_passage(0.01)], 0.0)
    assert not below_floor([], 0.5)
    assert not below_floor([_passage(None)], 0.5)


def test_decline_rates_count_each_kind_of_question() -> None:
    rates = decline_rates(answerable=[0.6, 0.5, 0.2, 0.7], followups=[0.3, 0.6], offtopic=[0.1, 0.2, 0.5], floor=0.35)
    assert rates == {"floor": 0.35, "offtopic_declined": 0.6667, "answerable_declined": 0.25, "followup_declined": 0.5}
