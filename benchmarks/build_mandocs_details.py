"""Builds the ``details`` split of `benchmarks/data/mandocs/`: questions about one detail deep in a page.

The held-out queries (``queries.jsonl``) each ask what a whole page is about (its NAME line), which is what a
page's opening passage says, and the documents' ranking by their openings in hybrid search
(``application.retrieval.fusion.by_vector_evidence``) was first tuned on such questions alone. These ask about
a detail that lies beyond the opening instead, over the same corpus (so an eval database kept with ``--keep``
for the default split is searched as is, nothing re-embedded):
``ragchat eval retrieval benchmarks/data/mandocs --split details``.

What a query is, exactly, read from ``corpus.jsonl`` alone (no rendering):
- a page's text is cut into paragraphs at blank lines; a line that is all capitals (``OPTIONS``, ``SEE ALSO``)
  is a section heading, and only paragraphs under a heading naming ``OPTION``, ``DESCRIPTION`` or ``FLAGS`` count;
- an option's paragraph starts with its term on a line of its own: an option (``-f FILE, --file=FILE``) or a
  constant (``O_APPEND``), followed by its description; the term is dropped and the query is the description's
  first sentence, verbatim, when it starts with a capital, ends with a full stop and has at least
  ``MIN_WORDS`` words;
- the paragraph starts at least ``MIN_OFFSET`` characters into the page's text, and the sentence is not found
  earlier in the page: past its first passage (200 tokens, 800-1,000 characters of manual text; the title goes
  before it) and that passage's overlap (with MiniLM's tokenizer, every query lies in the page's third passage
  or later);
- a sentence found in the text of any other page (``Display this help and exit.``, gcloud's shared flags) is no
  query: those pages stay as distractors, and every query has exactly one relevant page, the one it came from;
- one query per page (the one with the smallest stable hash), so pages with long option lists do not dominate,
  and at most ``QUERY_COUNT`` pages, chosen by a stable hash of the page id.

The queries are verbatim text from their page, so keyword matching finds them easily, and absolute figures
say little; the set is for comparing search variants on detail questions (does a variant pull a page's detail
passage down in favour of pages whose openings resemble the question?), not for their level. Deterministic:
the same corpus gives byte-identical files. Run: ``python -m benchmarks.build_mandocs_details [DATASET_DIR]``.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path

DATASET = Path(__file__).resolve().parent / "data" / "mandocs"
SPLIT = "details"
MIN_OFFSET = 1_500
MIN_WORDS = 5
QUERY_COUNT = 300
_HEADING = re.compile(r"[A-Z][A-Z0-9 ,/&()'-]*[A-Z)]")
_SECTION = re.compile(r"OPTION|DESCRIPTION|FLAGS")
_TERM = re.compile(r"-\S.*|[A-Z][A-Z0-9]*_[A-Z0-9_]+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z(\"\u201c])")


def option_sentences(text: str) -> Iterator[tuple[int, str]]:
    """(offset of the paragraph in ``text``, the first sentence of its description) for every option or
    constant described under an options or description section, in page order; the term is left out."""
    section = ""
    offset = 0
    for paragraph in text.split("\n\n"):
        start, offset = offset, offset + len(paragraph) + 2
        lines = paragraph.split("\n")
        for line in lines:
            if _HEADING.fullmatch(line):
                section = line
        if _HEADING.fullmatch(lines[0]):
            lines = lines[1:]
        if not _SECTION.search(section) or len(lines) < 2 or not _TERM.fullmatch(lines[0]):
            continue
        description = " ".join(" ".join(lines[1:]).split())
        sentence = _SENTENCE_END.split(description, maxsplit=1)[0]
        if sentence[:1].isupper() and sentence.endswith(".") and len(sentence.split()) >= MIN_WORDS:
            yield start, sentence


def _normal(text: str) -> str:
    return " ".join(text.lower().split())


def _fraction(key: str) -> float:
    return int(hashlib.sha256(key.encode()).hexdigest()[:16], 16) / 2**64


def detail_queries(
    corpus: list[dict[str, str]], min_offset: int = MIN_OFFSET, query_count: int = QUERY_COUNT
) -> list[tuple[str, str]]:
    """(page id, query) pairs, in corpus order: each page's chosen detail sentence, for the chosen pages."""
    texts = [_normal(document["text"]) for document in corpus]
    found: dict[str, str] = {}
    for number, document in enumerate(corpus):
        unique = [
            sentence
            for start, sentence in option_sentences(document["text"])
            if start >= min_offset
            and _normal(sentence) not in _normal(document["text"][:start])
            and not any(_normal(sentence) in text for other, text in enumerate(texts) if other != number)
        ]
        if unique:
            found[document["_id"]] = min(unique, key=lambda s: _fraction(f"mandocs-detail:{document['_id']}:{s}"))
    chosen = set(sorted(found, key=lambda page: _fraction(f"mandocs-detail-page:{page}"))[:query_count])
    return [(document["_id"], found[document["_id"]]) for document in corpus if document["_id"] in chosen]


def build(dataset: Path = DATASET, split: str = SPLIT) -> dict[str, int]:
    """Writes ``queries-SPLIT.jsonl`` and ``qrels/SPLIT.tsv`` next to the dataset's corpus."""
    with (dataset / "corpus.jsonl").open(encoding="utf-8") as handle:
        corpus = [json.loads(line) for line in handle if line.strip()]
    pairs = detail_queries(corpus)
    queries = "".join(
        json.dumps({"_id": f"d{number}", "text": query}, ensure_ascii=False) + "\n"
        for number, (_, query) in enumerate(pairs, start=1)
    )
    rows = "".join(f"d{number}\t{page}\t1\n" for number, (page, _) in enumerate(pairs, start=1))
    (dataset / f"queries-{split}.jsonl").write_text(queries, encoding="utf-8")
    (dataset / "qrels").mkdir(exist_ok=True)
    (dataset / "qrels" / f"{split}.tsv").write_text("query-id\tcorpus-id\tscore\n" + rows, encoding="utf-8")
    return {"documents": len(corpus), "queries": len(pairs)}


if __name__ == "__main__":
    print(build(Path(sys.argv[1]) if len(sys.argv) > 1 else DATASET))
