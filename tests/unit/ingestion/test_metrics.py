"""The retrieval metrics on rankings small enough to check by hand."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from application.evaluation.beir import load_dataset
from application.evaluation.metrics import evaluate, mrr_at_k, ndcg_at_k, recall_at_k, unique_in_order
from application.retrieval.fusion import reciprocal_rank_fusion

BEIR_TINY = Path(__file__).resolve().parents[2] / "fixtures" / "beir_tiny"


def test_binary_relevance_by_hand() -> None:
    ranked, qrels = ["a", "b", "c"], {"b": 1, "d": 1}
    # DCG = 1/log2(3); ideal DCG = 1/log2(2) + 1/log2(3)
    assert ndcg_at_k(ranked, qrels, 10) == pytest.approx((1 / math.log2(3)) / (1 + 1 / math.log2(3)))
    assert ndcg_at_k(ranked, qrels, 10) == pytest.approx(0.386853, abs=1e-6)
    assert recall_at_k(ranked, qrels, 10) == 0.5
    assert recall_at_k(ranked, qrels, 1) == 0.0
    assert mrr_at_k(ranked, qrels, 10) == 0.5
    assert mrr_at_k(ranked, qrels, 1) == 0.0


def test_graded_relevance_uses_linear_gains_like_trec_eval() -> None:
    # DCG = 1/1 + 2/log2(3) = 2.26186; ideal = 2/1 + 1/log2(3) = 2.63093
    assert ndcg_at_k(["x", "y"], {"x": 1, "y": 2}, 10) == pytest.approx(0.859719, abs=1e-6)
    assert ndcg_at_k(["y", "x"], {"x": 1, "y": 2}, 10) == pytest.approx(1.0)


def test_perfect_and_empty_rankings() -> None:
    assert ndcg_at_k(["a", "b"], {"a": 1, "b": 1}, 10) == 1.0
    assert ndcg_at_k([], {"a": 1}, 10) == 0.0
    assert recall_at_k(["z"], {"a": 0}, 10) == 0.0
    assert mrr_at_k(["z", "y", "a"], {"a": 3}, 10) == pytest.approx(1 / 3)


def test_evaluate_averages_over_judged_queries_only() -> None:
    runs = {"q1": ["a", "b"], "q2": []}
    qrels = {"q1": {"a": 1}, "q2": {"z": 1}, "q3": {"z": 0}}
    assert evaluate(runs, qrels) == {"ndcg@10": 0.5, "recall@10": 0.5, "recall@100": 0.5, "mrr@10": 0.5}


def test_recall_at_100_sees_documents_beyond_the_tenth() -> None:
    ranked = [f"n{i}" for i in range(20)] + ["hit"]
    assert (recall_at_k(ranked, {"hit": 1}, 10), recall_at_k(ranked, {"hit": 1}, 100)) == (0.0, 1.0)


def test_passages_become_documents_at_their_best_rank() -> None:
    assert unique_in_order(["d2", "d1", "d2", "d3", "d1"]) == ["d2", "d1", "d3"]


def test_reciprocal_rank_fusion_by_hand() -> None:
    fused = reciprocal_rank_fusion([["a", "b", "c"], ["c", "a"]], k=60)
    assert [item for item, _ in fused] == ["a", "c", "b"]
    assert dict(fused)["a"] == pytest.approx(1 / 61 + 1 / 62)
    assert dict(fused)["c"] == pytest.approx(1 / 63 + 1 / 61)
    assert dict(fused)["b"] == pytest.approx(1 / 62)


def test_the_shipped_fixture_reads_in_beir_layout() -> None:
    dataset = load_dataset(BEIR_TINY)
    assert len(dataset.corpus) == 12
    assert [q.id for q in dataset.queries] == [f"q{i}" for i in range(1, 11)]  # unjudged query dropped
    assert dataset.qrels["q1"] == {"d1": 2, "d9": 1}
    assert dataset.corpus[0].body.startswith("Emperor penguins\n\nEmperor penguins breed")
