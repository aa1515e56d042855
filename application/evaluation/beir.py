"""Reads a dataset in BEIR layout: ``corpus.jsonl``, ``queries.jsonl`` and ``qrels/test.tsv``.

Another split of the same corpus, ``qrels/SPLIT.tsv``, takes its queries from ``queries-SPLIT.jsonl`` when
there is one (``benchmarks/data/mandocs``: ``details``, questions about one detail deep in a page), else from
``queries.jsonl`` as in BEIR.

Two optional extensions (present in ``benchmarks/data/pkgdocs``): ``followups.jsonl`` with
``qrels/followups.tsv`` (conversational questions, each with the earlier user questions it follows), and
``offtopic.jsonl`` (questions no document answers, for the relevance floor's decline rates).
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import TypeVar

import msgspec

T = TypeVar("T")


class CorpusDocument(msgspec.Struct, frozen=True):
    id: str = msgspec.field(name="_id")
    text: str = ""
    title: str = ""

    @property
    def body(self) -> str:
        """Title and text, as BEIR's dense baselines embed them."""
        return f"{self.title}\n\n{self.text}" if self.title.strip() else self.text


class Query(msgspec.Struct, frozen=True):
    id: str = msgspec.field(name="_id")
    text: str = ""


class FollowUp(msgspec.Struct, frozen=True):
    """A question that only makes sense after ``history`` (the earlier user questions, oldest first)."""

    id: str = msgspec.field(name="_id")
    text: str = ""
    history: list[str] = msgspec.field(default_factory=list)


class Dataset(msgspec.Struct, frozen=True):
    corpus: list[CorpusDocument]
    queries: list[Query]
    qrels: dict[str, dict[str, int]]
    """query id → {document id: grade}."""
    followups: list[FollowUp] = msgspec.field(default_factory=list)
    followup_qrels: dict[str, dict[str, int]] = msgspec.field(default_factory=dict)
    offtopic: list[Query] = msgspec.field(default_factory=list)


class DatasetError(ValueError):
    pass


def _read_jsonl(path: Path, kind: type[T]) -> list[T]:
    if not path.is_file():
        raise DatasetError(f"{path} is missing")
    decoder = msgspec.json.Decoder(kind)
    items = []
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            if line.strip():
                try:
                    items.append(decoder.decode(line))
                except msgspec.DecodeError as exc:
                    raise DatasetError(f"{path}:{number}: {exc}") from None
    return items


def read_qrels(path: Path) -> dict[str, dict[str, int]]:
    if not path.is_file():
        raise DatasetError(f"{path} is missing")
    qrels: dict[str, dict[str, int]] = {}
    with path.open(newline="", encoding="utf-8") as handle:
        for number, row in enumerate(csv.reader(handle, delimiter="\t"), start=1):
            if not row or (number == 1 and row[0] == "query-id"):
                continue
            if len(row) < 3:
                raise DatasetError(f"{path}:{number}: expected query-id, corpus-id, score")
            try:
                qrels.setdefault(row[0], {})[row[1]] = int(float(row[2]))
            except ValueError:
                raise DatasetError(f"{path}:{number}: score {row[2]!r} is not a number") from None
    return qrels


def load_dataset(directory: Path, split: str = "test") -> Dataset:
    """Only queries that appear in the qrels are kept (BEIR ships queries of other splits too)."""
    qrels = read_qrels(directory / "qrels" / f"{split}.tsv")
    own_queries = directory / f"queries-{split}.jsonl"
    queries_file = own_queries if own_queries.is_file() else directory / "queries.jsonl"
    queries = [q for q in _read_jsonl(queries_file, Query) if q.id in qrels]
    corpus = _read_jsonl(directory / "corpus.jsonl", CorpusDocument)
    followups: list[FollowUp] = []
    followup_qrels: dict[str, dict[str, int]] = {}
    if (directory / "followups.jsonl").is_file():
        followup_qrels = read_qrels(directory / "qrels" / "followups.tsv")
        followups = [f for f in _read_jsonl(directory / "followups.jsonl", FollowUp) if f.id in followup_qrels]
    offtopic = _read_jsonl(directory / "offtopic.jsonl", Query) if (directory / "offtopic.jsonl").is_file() else []
    return Dataset(
        corpus=corpus,
        queries=queries,
        qrels=qrels,
        followups=followups,
        followup_qrels=followup_qrels,
        offtopic=offtopic,
    )
