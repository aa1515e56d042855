"""The manual pages' detail questions: which option descriptions become queries, and the committed split."""

from __future__ import annotations

import json
import re
from pathlib import Path

from application.evaluation.beir import load_dataset
from benchmarks.build_mandocs_details import build, detail_queries, option_sentences

MANDOCS = Path(__file__).resolve().parents[3] / "benchmarks" / "data" / "mandocs"
BREAK = "Break the widgets into their parts."
FIX = "Fix the widgets that the frob has broken."
FILLER = "\n\n".join(f"Paragraph {n} says how widgets of kind {n} are counted and why." for n in range(30))


def _page(options: str) -> str:
    return f"SYNOPSIS\nfrob [OPTION]...\n\nDESCRIPTION\n{FILLER}\n\nOPTIONS\n{options}\n\nSEE ALSO\nwidget(1)"


def test_an_option_gives_its_description_s_first_sentence_without_its_name_and_only_under_an_options_section() -> None:
    text = _page(
        "-f FILE, --file=FILE\nRead the widget list from FILE instead of the\nstandard input. Later lines win.\n\n"
        "O_WIDGET_SYNC\nWrite every widget to the disk before returning.\n\n"
        "--tiny\nToo few words here.\n\n"
        "-x\nlowercase continuation of a wrapped term line here.\n\n"
        "--help Print a usage message and exit with success."
    ).replace("SEE ALSO\nwidget(1)", "SEE ALSO\n-q, --quiet\nSay nothing at all about the widgets.")
    found = list(option_sentences(text))
    assert [sentence for _, sentence in found] == [
        "Read the widget list from FILE instead of the standard input.",
        "Write every widget to the disk before returning.",
    ]
    assert [text[start:].split("\n")[0] for start, _ in found] == ["OPTIONS", "O_WIDGET_SYNC"]


def test_a_query_lies_past_the_opening_occurs_in_no_other_page_and_each_page_gives_at_most_one() -> None:
    shared = "--version\nPrint the version of the program and exit.\n\n"
    corpus = [
        {"_id": "frob.1", "text": _page(shared + "-a\nAdd every widget that the frob knows about.\n\n-b\n" + BREAK)},
        {"_id": "grok.1", "text": _page(shared + "-g\nGather the widgets from all the open windows.")},
        {"_id": "early.1", "text": "OPTIONS\n-e\nExplain the widgets early in the page here.\n\n" + FILLER},
        {"_id": "again.1", "text": f"DESCRIPTION\n{FIX.upper()}\n\n" + _page(f"-z\n{FIX}")},
    ]
    pairs = detail_queries(corpus)
    assert [page for page, _ in pairs] == ["frob.1", "grok.1"]  # early.1's is in its opening, again.1's too
    assert pairs[0][1] in {"Add every widget that the frob knows about.", BREAK}
    assert pairs[1][1] == "Gather the widgets from all the open windows."
    assert detail_queries(corpus, query_count=1) in ([pairs[0]], [pairs[1]])
    assert "early.1" in [page for page, _ in detail_queries(corpus, min_offset=0)]


def test_the_builder_writes_a_split_that_loads_over_the_same_corpus_and_repeats_itself(tmp_path: Path) -> None:
    corpus = [{"_id": "frob.1", "title": "frob(1)", "text": _page("-a\nAdd every widget that the frob knows about.")}]
    (tmp_path / "corpus.jsonl").write_text("".join(json.dumps(row) + "\n" for row in corpus))
    (tmp_path / "queries.jsonl").write_text('{"_id": "q1", "text": "frobnicate widgets"}\n')
    (tmp_path / "qrels").mkdir()
    (tmp_path / "qrels" / "test.tsv").write_text("query-id\tcorpus-id\tscore\nq1\tfrob.1\t1\n")
    assert build(tmp_path) == {"documents": 1, "queries": 1}
    first = (tmp_path / "queries-details.jsonl").read_bytes()
    build(tmp_path)
    assert (tmp_path / "queries-details.jsonl").read_bytes() == first
    details = load_dataset(tmp_path, "details")
    assert [(q.id, q.text) for q in details.queries] == [("d1", "Add every widget that the frob knows about.")]
    assert details.qrels == {"d1": {"frob.1": 1}}
    assert [q.id for q in load_dataset(tmp_path).queries] == ["q1"]


def test_the_committed_detail_split_is_consistent() -> None:
    dataset = load_dataset(MANDOCS, "details")
    corpus = {document.id: document for document in dataset.corpus}
    assert len(dataset.queries) >= 250 and len({query.text for query in dataset.queries}) == len(dataset.queries)
    for query in dataset.queries:
        (page,) = dataset.qrels[query.id]
        found = re.search(r"\s+".join(map(re.escape, query.text.split())), corpus[page].text)
        assert found is not None and found.start() > 1_500, query.id
