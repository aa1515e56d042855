"""Builds `benchmarks/data/mandocs/`: a held-out BEIR-layout retrieval set from the manual pages installed here.

A second source, independent of ``pkgdocs`` (which was used to tune fusion, candidates and chunking): nothing
here was looked at while tuning. Each query is a page's own one-line description from its NAME section
("copy files and directories"); the relevant document is that page, rendered as text, with the NAME section
removed (otherwise the match is trivial). One relevant document per query.

What a document is, exactly:
- the page rendered by ``man -l`` (man-db + groff) at 80 columns in UTF-8, without hyphenation or justification
  (``--nh --nj``), overstrike and escape sequences stripped;
- minus the running header line (``CP(1)  User Commands  CP(1)``), the footer line (``GNU coreutils 9.1 …``)
  and the whole NAME section (its heading and every line up to the next section heading);
- the body's indentation (the most common one) removed from every line (lines indented less, such as
  sub-headings, start at the margin), runs of blank lines folded into one, and cut to ``MAX_DOCUMENT_CHARS``
  at the last paragraph break before it (a line break if the paragraph break would lose more than half);
- titled ``name(section)`` from the file name (``cp(1)``, ``Pod::Man(3perl)``), which the evaluation puts
  before the text as BEIR's baselines do.

Which pages: every English page under ``/usr/share/man/man*/`` except symbolic links, ``.so`` aliases and
gcloud's alpha/beta release tracks (near-copies of the GA pages). Pages are grouped into families (the name's
first word, ``git``, ``systemd``, ``pam``, ``openssl``; for gcloud its first three words, so
``gcloud_compute_instances``), and whole families are taken by a stable hash: ``FAMILY_SHARE`` of them, a
smaller ``GCLOUD_SHARE`` of gcloud's (16k generated pages would otherwise drown the rest), and ``git`` always,
so similar siblings stay together as hard distractors. Pages shorter than ``MIN_DOCUMENT_CHARS`` after the
cut and duplicate bodies are left out. A description is a query when it has at least three words, is not just
the page's name, and no other page in the corpus has the same one (those stay as distractors); ``QUERY_COUNT``
of them are picked by a stable hash of the page id.

Deterministic: the same installed pages and man/groff give byte-identical output (sorted walk, no randomness,
hash choices). Run: ``python -m benchmarks.build_mandocs [OUTPUT_DIR]`` (a few minutes: ~2,000 renders).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

MAN_ROOT = Path("/usr/share/man")
OUTPUT = Path(__file__).resolve().parent / "data" / "mandocs"
FAMILY_SHARE = 0.45
GCLOUD_SHARE = 0.05
ALWAYS_TAKEN = frozenset({"git"})
MAX_DOCUMENT_CHARS = 4_000
MIN_DOCUMENT_CHARS = 300
QUERY_COUNT = 400
_FILE_NAME = re.compile(r"(?P<name>.+)\.(?P<section>[0-9][a-z0-9]*)(?:\.gz)?")
_DASH = re.compile(r"\s+[-\u2010\u2011\u2012\u2013\u2014\u2212]\s+")
_OVERSTRIKE = re.compile(r".\x08")
_ESCAPE = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


@dataclass(frozen=True)
class Page:
    path: Path
    name: str
    section: str

    @property
    def doc_id(self) -> str:
        return re.sub(r"[^A-Za-z0-9._+-]+", "_", f"{self.name}.{self.section}")

    @property
    def family(self) -> str:
        words = [w for w in re.split(r"[-_.:]+", self.name.lower()) if w] or [self.name.lower()]
        return "_".join(words[:3]) if words[0] == "gcloud" else words[0]


def _is_alias(path: Path) -> bool:
    raw = gzip.decompress(path.read_bytes()) if path.name.endswith(".gz") else path.read_bytes()
    lines = [line for line in raw.splitlines() if line.strip() and not line.startswith(b'.\\"')]
    return len(lines) == 1 and lines[0].startswith(b".so ")


def pages(man_root: Path) -> list[Page]:
    """Every page file under ``man_root/man*/``, sorted, without links, aliases and gcloud's pre-GA tracks."""
    found = []
    for folder in sorted(man_root.glob("man[0-9]")):
        for path in sorted(folder.iterdir()):
            match = _FILE_NAME.fullmatch(path.name)
            if match is None or path.is_symlink() or not path.is_file():
                continue
            if path.name.startswith(("gcloud_alpha", "gcloud_beta")) or _is_alias(path):
                continue
            found.append(Page(path, match["name"], match["section"]))
    return found


def _fraction(key: str) -> float:
    return int(hashlib.sha256(key.encode()).hexdigest()[:16], 16) / 2**64


def taken(page: Page, family_share: float, gcloud_share: float) -> bool:
    if page.family in ALWAYS_TAKEN:
        return True
    share = gcloud_share if page.family.startswith("gcloud") else family_share
    return _fraction(f"mandocs-family:{page.family}") < share


def render(path: Path) -> str:
    """The page as man shows it at 80 columns, as plain text."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "MANWIDTH": "80", "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"}
    done = subprocess.run(
        ["man", "--nh", "--nj", "-l", "-P", "cat", str(path)], env=env, capture_output=True, timeout=120, check=False
    )
    text = done.stdout.decode("utf-8", errors="replace")
    return _ESCAPE.sub("", _OVERSTRIKE.sub("", text))


def split_page(rendered: str) -> tuple[str, str]:
    """(the NAME section's text, the rest) of a rendered page, without its header and footer lines."""
    lines = [line.rstrip() for line in rendered.replace("\r", "").split("\n")]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    lines = lines[1:-1]  # the running header and footer
    name_lines: list[str] = []
    kept: list[str] = []
    in_name = False
    for line in lines:
        if line and not line[0].isspace():  # a section heading
            in_name = line.strip() == "NAME"
            if in_name:
                continue
        (name_lines if in_name else kept).append(line)
    indents = Counter(len(line) - len(line.lstrip()) for line in kept if line.strip() and line[0].isspace())
    base = min(indents, key=lambda width: (-indents[width], width), default=0)  # the body's indentation
    body = "\n".join(line[base:] if line[:base].isspace() else line.lstrip() for line in kept)
    body = re.sub(r"\n{3,}", "\n\n", body).strip("\n")
    return " ".join(" ".join(name_lines).split()), body


def description(name_text: str) -> str:
    """``cp - copy files and directories`` → ``copy files and directories``; empty when there is no dash."""
    parts = _DASH.split(name_text, maxsplit=1)
    return parts[1].strip() if len(parts) == 2 else ""


def trimmed(text: str) -> str:
    if len(text) <= MAX_DOCUMENT_CHARS:
        return text
    cut = text.rfind("\n\n", 0, MAX_DOCUMENT_CHARS)
    if cut <= MAX_DOCUMENT_CHARS // 2:
        cut = text.rfind("\n", 0, MAX_DOCUMENT_CHARS)
    return text[: cut if cut > MAX_DOCUMENT_CHARS // 2 else MAX_DOCUMENT_CHARS].rstrip()


def _usable(summary: str, page: Page) -> bool:
    return len(summary.split()) >= 3 and summary.lower().strip(". ") != page.name.lower()


def _key(summary: str) -> str:
    return " ".join(summary.lower().strip(". ").split())


def build(
    output: Path,
    man_root: Path = MAN_ROOT,
    family_share: float = FAMILY_SHARE,
    gcloud_share: float = GCLOUD_SHARE,
    query_count: int = QUERY_COUNT,
) -> dict[str, int]:
    corpus: list[dict[str, str]] = []
    summary_of: dict[str, str] = {}
    seen_bodies: set[str] = set()
    for page in pages(man_root):
        if not taken(page, family_share, gcloud_share):
            continue
        name_text, body = split_page(render(page.path))
        text = trimmed(body)
        digest = hashlib.sha256(text.encode()).hexdigest()
        if len(text) < MIN_DOCUMENT_CHARS or digest in seen_bodies:
            continue
        seen_bodies.add(digest)
        corpus.append({"_id": page.doc_id, "title": f"{page.name}({page.section})", "text": text})
        summary = description(name_text)
        if _usable(summary, page):
            summary_of[page.doc_id] = summary
    if len({doc["_id"] for doc in corpus}) != len(corpus):
        raise RuntimeError("two pages map to the same document id")
    pages_per_key: dict[str, int] = {}
    for summary in summary_of.values():
        pages_per_key[_key(summary)] = pages_per_key.get(_key(summary), 0) + 1
    candidates = [doc_id for doc_id, summary in summary_of.items() if pages_per_key[_key(summary)] == 1]
    chosen = set(sorted(candidates, key=lambda doc_id: _fraction(f"mandocs-query:{doc_id}"))[:query_count])
    judged = [doc["_id"] for doc in corpus if doc["_id"] in chosen]  # in corpus order
    queries = [{"_id": f"q{number}", "text": summary_of[doc_id]} for number, doc_id in enumerate(judged, start=1)]
    qrels = [(f"q{number}", doc_id) for number, doc_id in enumerate(judged, start=1)]
    (output / "qrels").mkdir(parents=True, exist_ok=True)
    _write_jsonl(output / "corpus.jsonl", corpus)
    _write_jsonl(output / "queries.jsonl", queries)
    rows = "".join(f"{query_id}\t{doc_id}\t1\n" for query_id, doc_id in qrels)
    (output / "qrels" / "test.tsv").write_text("query-id\tcorpus-id\tscore\n" + rows)
    return {"documents": len(corpus), "queries": len(queries), "query_candidates": len(candidates)}


def _write_jsonl(path: Path, rows: Sequence[Mapping[str, object]]) -> None:
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")


if __name__ == "__main__":
    print(build(Path(sys.argv[1]) if len(sys.argv) > 1 else OUTPUT))
