"""Builds `benchmarks/data/pkgdocs/`: a BEIR-layout retrieval set from package documentation installed here.

Queries are real one-line summaries written by package authors (a Python distribution's `Summary:`, an npm
package's `description`); the relevant document is the same package's long description (the README that PyPI
or npm shows). Nothing is generated: every corpus text and standalone query is copied from the files below.
The corpus has hard distractors by construction (dozens of `micromark-*`/`mdast-util-*` readers, several HTTP
clients, JSON and YAML libraries, pytest plugins, AWS SDK parts). Packages whose summary is unusable (empty,
just the name, or duplicated by a sibling with a different README) stay in the corpus as distractors.

Files written:
- ``corpus.jsonl``, ``queries.jsonl``, ``qrels/test.tsv``: standalone questions (BEIR layout);
- ``followups.jsonl`` + ``qrels/followups.tsv``: conversational questions. The first question is a package's
  summary; the follow-up asks about a section that package's README really has, in words many other READMEs
  match just as well ("How do I install it?" for an "Installation" heading), so it only makes sense after the
  first question; the relevant document is the same package's;
- ``offtopic.jsonl``: questions no document answers (`offtopic_questions.txt`, written by hand, general
  knowledge far from software packages) for the relevance floor's decline rates.

Deterministic: the same installed files give byte-identical output (sorted walk, no randomness, stable hash
choices). Run: ``python -m benchmarks.build_pkgdocs [OUTPUT_DIR]``.
"""

from __future__ import annotations

import email
import glob
import hashlib
import json
import re
import sys
from collections.abc import Mapping, Sequence
from email import policy
from pathlib import Path

PYTHON_SITES = (  # the project's venv first: its version wins when a package is installed twice
    "/work/main/.venv/lib/python3.11/site-packages",
    "/root/.pyenv/versions/3.11.7/lib/python3.11/site-packages",
    "/usr/lib/python3/dist-packages",
    "/usr/lib/google-cloud-sdk/platform/bundledpythonunix/lib/python3.12/site-packages",
)
NPM_ROOTS = ("/work/main/frontend/node_modules",)
HERE = Path(__file__).resolve().parent
OUTPUT = HERE / "data" / "pkgdocs"
MAX_DOCUMENT_CHARS = 12_000  # cut at a paragraph boundary: changelogs appended to READMEs are not the point
MIN_DOCUMENT_CHARS = 300
MIN_HEADING_SHARE = 4  # a follow-up heading is also a heading of at least 3 other documents
SKIPPED = {"ragchat"}
FOLLOWUPS = {  # a README section heading → the follow-up a reader asks about it
    ("install", "installation", "installing"): "How do I install it?",
    ("usage", "use", "basic usage"): "How do I use it?",
    ("quick start", "quickstart", "getting started"): "How do I get started with it?",
    ("license",): "What license is it under?",
    ("compatibility",): "What is it compatible with?",
    ("security",): "How do I report a security problem in it?",
    ("features", "key features"): "What are its main features?",
    ("examples", "example", "a simple example"): "Can you show an example of it?",
    ("contributing", "contribute"): "How can I contribute to it?",
    ("documentation", "docs"): "Where is its documentation?",
    ("api",): "What does its API look like?",
    ("credits", "acknowledgements"): "Who is credited for it?",
    ("donate",): "How can I support its development?",
    ("changelog",): "What changed in the latest release?",
    ("benchmarks",): "How fast is it?",
    ("options",): "Which options does it take?",
    ("syntax",): "What syntax does it use?",
    ("testing",): "How do I run its tests?",
    ("getting help",): "Where can I get help with it?",
    ("code of conduct",): "Does it have a code of conduct?",
}
FOLLOWUP_FOR = {heading: question for headings, question in FOLLOWUPS.items() for heading in headings}


def _normalized_name(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _python_packages() -> dict[str, tuple[str, str]]:
    found: dict[str, tuple[str, str]] = {}
    for site in PYTHON_SITES:
        for path in sorted(glob.glob(f"{site}/*.dist-info/METADATA") + glob.glob(f"{site}/*.egg-info/PKG-INFO")):
            with open(path, encoding="utf-8", errors="replace") as handle:
                message = email.message_from_file(handle, policy=policy.compat32)
            name = _normalized_name(message.get("Name") or "")
            if not name or name in found or name in SKIPPED:
                continue
            body = message.get_payload()
            if not isinstance(body, str) or not body.strip():
                body = message.get("Description") or ""
            found[name] = (" ".join((message.get("Summary") or "").split()), str(body))
    return found


def _npm_packages() -> dict[str, tuple[str, str]]:
    found: dict[str, tuple[str, str]] = {}
    for root in NPM_ROOTS:
        manifests = sorted(glob.glob(f"{root}/*/package.json") + glob.glob(f"{root}/@*/*/package.json"))
        for manifest in manifests:
            folder = Path(manifest).parent
            readmes = sorted(p for p in folder.iterdir() if p.name.lower() in {"readme.md", "readme"})
            if not readmes:
                continue
            data = json.loads(Path(manifest).read_text(encoding="utf-8"))
            name = str(data.get("name") or "")
            if name and name not in found:
                found[name] = (
                    " ".join(str(data.get("description") or "").split()),
                    readmes[0].read_text(encoding="utf-8", errors="replace"),
                )
    return found


def _trimmed(text: str) -> str:
    text = text.replace("\r\n", "\n").strip()
    if len(text) <= MAX_DOCUMENT_CHARS:
        return text
    cut = text.rfind("\n\n", 0, MAX_DOCUMENT_CHARS)
    return text[: cut if cut > MAX_DOCUMENT_CHARS // 2 else MAX_DOCUMENT_CHARS].rstrip()


_MD_HEADING = re.compile(r"^#{1,4}\s+(.+?)\s*#*\s*$", re.MULTILINE)
_RST_HEADING = re.compile(r"^([^\n]{3,60})\n([=\-~^*#])\2{2,}\s*$", re.MULTILINE)


def _headings(text: str) -> list[str]:
    """Short plain-word section titles, lower-cased, in document order."""
    raw = _MD_HEADING.findall(text) + [m.group(1) for m in _RST_HEADING.finditer(text)]
    titles = []
    for title in raw:
        title = title.strip().strip(":").lower()
        if re.fullmatch(r"[a-z][a-z ]{2,30}", title) and len(title.split()) <= 3:
            titles.append(title)
    return list(dict.fromkeys(titles))


def _stable_pick(key: str, options: list[str] | tuple[str, ...]) -> str:
    return options[int(hashlib.sha256(key.encode()).hexdigest(), 16) % len(options)]


def build(output: Path) -> dict[str, int]:
    packages = [("py", name, *value) for name, value in sorted(_python_packages().items())]
    packages += [("npm", name, *value) for name, value in sorted(_npm_packages().items())]
    corpus: list[dict[str, str]] = []
    seen_bodies: set[str] = set()
    summaries: dict[str, list[str]] = {}
    for source, name, summary, body in packages:
        text = _trimmed(body)
        digest = hashlib.sha256(text.encode()).hexdigest()
        if len(text) < MIN_DOCUMENT_CHARS or digest in seen_bodies:
            continue
        seen_bodies.add(digest)
        doc_id = f"{source}-{name.replace('@', '').replace('/', '-')}"
        corpus.append({"_id": doc_id, "title": name, "text": text})
        words = summary.split()
        if len(words) >= 3 and summary.lower().strip(". ") != name.lower():
            summaries.setdefault(summary.rstrip(), []).append(doc_id)
    queries, qrels = [], []
    for number, (summary, doc_ids) in enumerate(sorted(summaries.items(), key=lambda kv: kv[1][0]), start=1):
        query_id = f"q{number}"
        queries.append({"_id": query_id, "text": summary})
        qrels += [(query_id, doc_id) for doc_id in doc_ids]  # identical summaries: every sibling is relevant
    text_of = {doc["_id"]: doc["text"] for doc in corpus}
    heading_count: dict[str, int] = {}
    for text in text_of.values():
        for heading in _headings(text):
            heading_count[heading] = heading_count.get(heading, 0) + 1
    followups, followup_qrels = [], []
    for query in queries:
        relevant = [doc for q, doc in qrels if q == query["_id"]]
        if len(relevant) != 1:
            continue
        asked = sorted(
            {
                FOLLOWUP_FOR[h]
                for h in _headings(text_of[relevant[0]])
                if h in FOLLOWUP_FOR and heading_count[h] >= MIN_HEADING_SHARE
            }
        )
        if not asked:
            continue
        followup_id = f"f{query['_id'][1:]}"
        followups.append({"_id": followup_id, "history": [query["text"]], "text": _stable_pick(relevant[0], asked)})
        followup_qrels.append((followup_id, relevant[0]))
    offtopic = [
        line.strip()
        for line in (HERE / "offtopic_questions.txt").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    (output / "qrels").mkdir(parents=True, exist_ok=True)
    _write_jsonl(output / "corpus.jsonl", corpus)
    _write_jsonl(output / "queries.jsonl", queries)
    _write_jsonl(output / "followups.jsonl", followups)
    _write_jsonl(output / "offtopic.jsonl", [{"_id": f"o{n}", "text": t} for n, t in enumerate(offtopic, 1)])
    _write_qrels(output / "qrels" / "test.tsv", qrels)
    _write_qrels(output / "qrels" / "followups.tsv", followup_qrels)
    return {"documents": len(corpus), "queries": len(queries), "followups": len(followups), "offtopic": len(offtopic)}


def _write_jsonl(path: Path, rows: Sequence[Mapping[str, object]]) -> None:
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")


def _write_qrels(path: Path, pairs: list[tuple[str, str]]) -> None:
    path.write_text("query-id\tcorpus-id\tscore\n" + "".join(f"{q}\t{d}\t1\n" for q, d in pairs))


if __name__ == "__main__":
    print(build(Path(sys.argv[1]) if len(sys.argv) > 1 else OUTPUT))
