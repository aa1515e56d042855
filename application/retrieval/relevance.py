"""The relevance floor: below it, a turn answers that the documents do not cover the question.

Fused hybrid scores are ranks (reciprocal rank fusion), so they say how passages compare with each other, not
whether any of them is about the question: the best of six unrelated passages still ranks first. The floor
therefore compares the cosine similarity of the vector search's best passage with a threshold calibrated for
the embedder on ``benchmarks/data/pkgdocs`` (``ragchat eval retrieval`` prints the trade-off).
"""

from __future__ import annotations

from collections.abc import Sequence

from domain.documents import Passage


def best_similarity(passages: Sequence[Passage]) -> float | None:
    """None when no passage came with a similarity (keyword-only search, nothing found)."""
    similarities = [p.similarity for p in passages if p.similarity is not None]
    return max(similarities) if similarities else None


def below_floor(passages: Sequence[Passage], floor: float) -> bool:
    """Whether a turn should decline: passages were found, and the closest one is still below ``floor``.
    A floor of 0 (or less) never declines."""
    return below_floor_value(best_similarity(passages), floor)


def below_floor_value(best: float | None, floor: float) -> bool:
    return floor > 0 and best is not None and best < floor
