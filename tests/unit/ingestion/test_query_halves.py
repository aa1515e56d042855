from application.evaluation.beir import CorpusDocument, Dataset, Query
from application.evaluation.halves import half_of, only_half


def _dataset(ids: list[str]) -> Dataset:
    return Dataset(
        corpus=[CorpusDocument(id="d", text="x")],
        queries=[Query(id=i, text=f"question {i}") for i in ids],
        qrels={i: {"d": 1} for i in ids},
    )


def test_the_halves_are_disjoint_cover_every_query_and_are_about_even() -> None:
    ids = [f"q{n}" for n in range(1, 401)]
    dev, test = only_half(_dataset(ids), "dev"), only_half(_dataset(ids), "test")
    dev_ids, test_ids = {q.id for q in dev.queries}, {q.id for q in test.queries}
    assert not dev_ids & test_ids
    assert dev_ids | test_ids == set(ids)
    assert set(dev.qrels) == dev_ids and set(test.qrels) == test_ids
    assert 160 <= len(dev_ids) <= 240
    assert dev.corpus == test.corpus


def test_a_querys_half_depends_on_its_id_alone_and_never_changes() -> None:
    # Fixed expectations: a split that moved queries between halves would mix tuning and test data.
    assert [half_of(f"q{n}") for n in range(1, 7)] == ["test", "dev", "dev", "test", "dev", "test"]
    forwards = only_half(_dataset(["q1", "q2", "q3"]), "dev")
    backwards = only_half(_dataset(["q3", "q2", "q1"]), "dev")
    assert {q.id for q in forwards.queries} == {q.id for q in backwards.queries}
