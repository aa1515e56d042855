"""The held-out manual-page set: its builder on pages written here (rendered by the real ``man``), and the
committed set's consistency."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import pytest

from application.evaluation.beir import load_dataset
from benchmarks.build_mandocs import build

MANDOCS = Path(__file__).resolve().parents[3] / "benchmarks" / "data" / "mandocs"
BODY = "\n".join(
    f".PP\nParagraph {n} explains how the {{tool}} treats widgets of kind {n} and why that matters here."
    for n in range(6)
)


def _page(name: str, summary: str) -> str:
    return (
        f'.TH {name.upper()} 1 "January 2024" "widgets 1.0" "Widget Manual"\n.SH NAME\n{name} \\- {summary}\n'
        f".SH SYNOPSIS\n.B {name}\n[\\fIOPTION\\fR]... \\fIFILE\\fR\n.SH DESCRIPTION\n"
        + BODY.replace("{tool}", name)
        + "\n.SH OPTIONS\n.TP\n.B \\-v\nsay more\n"
    )


def _write_pages(root: Path) -> None:
    man1 = root / "man1"
    man1.mkdir(parents=True)
    (man1 / "frob.1").write_text(_page("frob", "frobnicate the widgets quickly"))
    (man1 / "frob-extra.1.gz").write_bytes(gzip.compress(_page("frob-extra", "tune extra widgets").encode(), mtime=0))
    (man1 / "twin.1").write_text(_page("twin", "shared words for two pages"))
    (man1 / "twin-other.1").write_text(_page("twin-other", "shared words for two pages"))
    (man1 / "short.1").write_text(_page("short", "a page with a short summary").split(".SH DESCRIPTION")[0])
    (man1 / "alias.1").write_text(".so man1/frob.1\n")
    (man1 / "link.1").symlink_to("frob.1")


@pytest.mark.skipif(shutil.which("man") is None, reason="renders pages with man-db's man, which is not installed")
def test_the_builder_renders_pages_without_their_name_section_and_repeats_itself_byte_for_byte(tmp_path: Path) -> None:
    _write_pages(tmp_path / "man")
    first = build(tmp_path / "first", man_root=tmp_path / "man", family_share=1.0, query_count=10)
    second = build(tmp_path / "second", man_root=tmp_path / "man", family_share=1.0, query_count=10)
    assert first == second == {"documents": 4, "queries": 2, "query_candidates": 2}
    for name in ("corpus.jsonl", "queries.jsonl", "qrels/test.tsv"):
        assert (tmp_path / "first" / name).read_bytes() == (tmp_path / "second" / name).read_bytes()
    dataset = load_dataset(tmp_path / "first")
    by_id = {document.id: document for document in dataset.corpus}
    assert sorted(by_id) == ["frob-extra.1", "frob.1", "twin-other.1", "twin.1"]  # no alias, link or short page
    assert by_id["frob.1"].title == "frob(1)"
    text = by_id["frob.1"].text
    assert text.startswith("SYNOPSIS\nfrob [OPTION]... FILE\n\nDESCRIPTION\nParagraph 0 explains how the frob")
    assert "NAME" not in text and "frobnicate" not in text and "FROB(1)" not in text and "widgets 1.0" not in text
    relevant = {query.text: next(iter(dataset.qrels[query.id])) for query in dataset.queries}
    assert relevant == {"frobnicate the widgets quickly": "frob.1", "tune extra widgets": "frob-extra.1"}


def test_the_committed_manual_page_set_is_complete_and_consistent() -> None:
    dataset = load_dataset(MANDOCS)
    corpus_ids = {document.id for document in dataset.corpus}
    assert len(dataset.corpus) >= 1900 and len(corpus_ids) == len(dataset.corpus)
    assert len(dataset.queries) == 400 and len({query.text for query in dataset.queries}) == 400
    assert all(len(grades) == 1 and set(grades) <= corpus_ids for grades in dataset.qrels.values())
    assert len({document.text for document in dataset.corpus}) == len(dataset.corpus)
    for document in dataset.corpus:  # no NAME section: "NAME" then the page's name and its description
        name = document.title.rsplit("(", 1)[0]
        assert not document.text.startswith("NAME\n") and f"NAME\n{name} " not in document.text, document.id
