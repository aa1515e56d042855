"""The committed evaluation set loads in BEIR layout with its conversational and off-topic extensions."""

from __future__ import annotations

from pathlib import Path

from application.evaluation.beir import load_dataset

PKGDOCS = Path(__file__).resolve().parents[3] / "benchmarks" / "data" / "pkgdocs"


def test_the_package_docs_set_is_complete_and_consistent() -> None:
    dataset = load_dataset(PKGDOCS)
    corpus_ids = {document.id for document in dataset.corpus}
    assert len(dataset.corpus) >= 300 and len(corpus_ids) == len(dataset.corpus)
    assert len(dataset.queries) >= 300 and len(dataset.followups) >= 200 and len(dataset.offtopic) >= 50
    judged = [doc for grades in (*dataset.qrels.values(), *dataset.followup_qrels.values()) for doc in grades]
    assert set(judged) <= corpus_ids
    assert all(followup.history and followup.text for followup in dataset.followups)
    assert len({document.text for document in dataset.corpus}) == len(dataset.corpus)  # no duplicate bodies
