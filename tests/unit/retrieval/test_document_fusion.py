"""fuse_hybrid: the passage legs fused by weighted rank, and the document rankings (by keywords, by best passage
and opening) lifting each document's best passage only."""

from __future__ import annotations

import uuid

import msgspec
import pytest

from application.retrieval.fusion import RRF_K, by_vector_evidence, fuse_hybrid, reciprocal_rank_fusion
from domain.documents import Passage

K = RRF_K


def _passage(document: uuid.UUID, name: str) -> Passage:
    return Passage(chunk_id=uuid.uuid4(), document_id=document, filename="f", ordinal=0, text=name, score=0.0)


def _near(document: uuid.UUID, name: str, similarity: float) -> Passage:
    return msgspec.structs.replace(_passage(document, name), score=similarity, similarity=similarity)


def _texts(fused: list[tuple[Passage, float]]) -> list[str]:
    return [passage.text for passage, _ in fused]


def test_a_documents_rank_lifts_only_its_best_passage() -> None:
    a, b = uuid.uuid4(), uuid.uuid4()
    a1, a2, b1 = _passage(a, "a1"), _passage(a, "a2"), _passage(b, "b1")

    fused = dict((p.text, score) for p, score in fuse_hybrid([a1, b1, a2], [], [a], document_share=0.5))

    assert fused["a1"] == pytest.approx(1 / (K + 1) + 0.5 / (K + 1))
    assert fused["a2"] == pytest.approx(1 / (K + 3))  # the same document's other passage gains nothing
    assert fused["b1"] == pytest.approx(1 / (K + 2))


def test_document_evidence_breaks_a_tie_between_passages_of_two_documents() -> None:
    right, wrong = uuid.uuid4(), uuid.uuid4()
    mine, theirs = _passage(right, "right"), _passage(wrong, "wrong")

    without = fuse_hybrid([theirs, mine], [mine, theirs], [])
    with_documents = fuse_hybrid([theirs, mine], [mine, theirs], [right, uuid.uuid4(), wrong])

    assert _texts(without) == ["wrong", "right"]  # tied: first appearance (the vector leg) wins
    assert _texts(with_documents) == ["right", "wrong"]


def test_the_keyword_evidence_is_shared_between_passages_and_documents() -> None:
    # A passage first in every list scores what it scored with two lists of weight 1: the document list takes
    # its share from the passage keyword list instead of adding a third vote for keywords.
    document = uuid.uuid4()
    only = _passage(document, "only")

    ((_, score),) = fuse_hybrid([only], [only], [document], document_share=0.3)

    assert score == pytest.approx(2 / (K + 1))


def test_a_listed_document_without_a_passage_in_the_legs_adds_nothing() -> None:
    listed, present = uuid.uuid4(), uuid.uuid4()
    passage = _passage(present, "present")

    fused = fuse_hybrid([passage], [], [listed, present], document_share=0.5)

    assert _texts(fused) == ["present"]
    assert fused[0][1] == pytest.approx(1 / (K + 1) + 0.5 / (K + 2))


def test_without_a_document_list_or_share_it_is_plain_reciprocal_rank_fusion() -> None:
    passages = [_passage(uuid.uuid4(), name) for name in "abcd"]
    nearest, matching = passages[:3], [passages[3], passages[1], passages[0]]

    fused = fuse_hybrid(nearest, matching, [p.document_id for p in passages], document_share=0.0)
    plain = reciprocal_rank_fusion([[p.chunk_id for p in nearest], [p.chunk_id for p in matching]])

    assert [(p.chunk_id, score) for p, score in fused] == plain


def test_documents_rank_by_their_best_passage_plus_half_their_opening_among_the_vector_legs_documents_only() -> None:
    near, far, unlisted, missing = uuid.uuid4(), uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    nearest = [_near(far, "far", 0.6), _near(near, "near", 0.5), _near(missing, "no opening", 0.9)]
    nearest.append(_near(far, "far 2", 0.4))
    openings = {near: 0.9, far: 0.3, unlisted: 1.0}

    assert by_vector_evidence(nearest, openings) == [near, far]  # 0.5 + 0.45 against 0.6 + 0.15
    assert by_vector_evidence(nearest, openings, opening_weight=0.0) == [far, near]
    assert by_vector_evidence(nearest, {near: 0.7, far: 0.5}) == [far, near]  # a tie keeps the vector leg's order


def test_a_detail_far_nearer_than_any_opening_keeps_its_document_first() -> None:
    # A question about one detail deep in a page: its page opens with something else (0.1), another page's
    # opening resembles the question more (0.5) but holds nothing as near as the detail (0.8 against 0.5).
    deep, other = uuid.uuid4(), uuid.uuid4()
    detail, opening = _near(deep, "detail", 0.8), _near(other, "opening", 0.5)

    assert by_vector_evidence([detail, opening], {deep: 0.1, other: 0.5}) == [deep, other]
    fused = fuse_hybrid([detail, opening], [], [], {deep: 0.1, other: 0.5})

    assert _texts(fused) == ["detail", "opening"]
    assert fused[0][1] == pytest.approx(1 / (K + 1))  # first in the passage list and in the documents' ranking


def test_an_opening_near_the_question_lifts_its_documents_best_passage_only() -> None:
    about, detail = uuid.uuid4(), uuid.uuid4()
    pier, lighthouse, appendix = _passage(detail, "pier"), _passage(about, "lighthouse"), _passage(about, "appendix")

    fused = dict(
        (p.text, score)
        for p, score in fuse_hybrid([pier, lighthouse, appendix], [], [], {about: 0.9, detail: 0.1}, opening_share=0.5)
    )

    assert fused["lighthouse"] == pytest.approx(0.5 / (K + 2) + 0.5 / (K + 1))
    assert fused["pier"] == pytest.approx(0.5 / (K + 1) + 0.5 / (K + 2))
    assert fused["appendix"] == pytest.approx(0.5 / (K + 3))


def test_the_vector_evidence_is_shared_between_passages_and_openings() -> None:
    # A passage first in every list scores what it scored with two lists of weight 1.
    document = uuid.uuid4()
    only = _passage(document, "only")

    ((_, score),) = fuse_hybrid([only], [only], [document], {document: 0.7}, document_share=0.3, opening_share=0.4)

    assert score == pytest.approx(2 / (K + 1))


def test_without_openings_the_vector_leg_keeps_its_whole_weight() -> None:
    document = uuid.uuid4()
    only = _passage(document, "only")

    ((_, score),) = fuse_hybrid([only], [], [], {}, opening_share=0.5)

    assert score == pytest.approx(1 / (K + 1))


def test_the_passage_that_stands_for_a_document_is_chosen_with_the_vector_leg_at_full_weight() -> None:
    # Within the document, "near" is the vector leg's second and the keyword leg's third, "worded" the vector
    # leg's fourth and the keyword leg's first: with the vector leg halved "worded" would edge ahead, but which
    # passage stands for the document is the passage lists' call as it was before the opening ranking.
    document, other = uuid.uuid4(), uuid.uuid4()
    near, worded = _passage(document, "near"), _passage(document, "worded")
    first, filler = _passage(other, "first"), _passage(other, "filler")

    fused = dict(
        (p.text, score)
        for p, score in fuse_hybrid(
            [first, near, filler, worded], [worded, filler, near, first], [], {document: 0.9, other: 0.1}
        )
    )

    assert fused["near"] == pytest.approx(0.5 / (K + 2) + 0.5 / (K + 3) + 0.5 / (K + 1))
    assert fused["worded"] == pytest.approx(0.5 / (K + 4) + 0.5 / (K + 1))
