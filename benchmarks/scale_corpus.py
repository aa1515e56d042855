"""Real text from this machine, re-sampled into as many distinct passages as a scale benchmark needs.

Sources: the long description of every installed Python package (``*.dist-info/METADATA``) and the README /
Markdown / reStructuredText files shipped in site-packages and ``/usr/share/doc``. Passages are windows of
80-200 words starting at random word offsets of one source, so they read like real chunks (overlapping
neighbours, shared vocabulary, code and prose mixed) yet no two are identical. Queries are the packages'
one-line ``Summary:`` fields and the Markdown headings of the same files: real, short, written by people
describing what the text is about.
"""

from __future__ import annotations

import random
import re
import sys
import sysconfig
from dataclasses import dataclass
from pathlib import Path

_SKIP = re.compile(r"(LICEN[CS]E|COPYING|NOTICE|AUTHORS|RECORD|changelog)", re.IGNORECASE)
_WORDS = re.compile(r"\S+")
_HEADING = re.compile(r"^#{1,3} +([A-Za-z][^#\n]{12,80})$", re.MULTILINE)


@dataclass(frozen=True)
class Source:
    title: str
    words: list[str]


def _metadata_body(path: Path) -> tuple[str, str, str]:
    """(name, summary, long description) of one METADATA file."""
    text = path.read_text(errors="replace")
    head, _, body = text.partition("\n\n")
    fields = dict(line.split(": ", 1) for line in head.splitlines() if ": " in line and not line.startswith(" "))
    return fields.get("Name", path.parent.name), fields.get("Summary", "").strip(), body


def _site_packages() -> list[Path]:
    return sorted({Path(sysconfig.get_paths()["purelib"]), *(Path(p) for p in sys.path if "site-packages" in p)})


def load_sources(minimum_words: int = 120) -> tuple[list[Source], list[str]]:
    """(sources, queries), in a stable order."""
    sources: list[Source] = []
    queries: list[str] = []
    for site in _site_packages():
        for metadata in sorted(site.glob("*.dist-info/METADATA")):
            name, summary, body = _metadata_body(metadata)
            if len(summary.split()) >= 3 and summary not in queries:
                queries.append(summary)
            queries.extend(h.strip() for h in _HEADING.findall(body) if h.strip() not in queries)
            words = _WORDS.findall(body)
            if len(words) >= minimum_words:
                sources.append(Source(name, words))
        for pattern in ("**/*.md", "**/*.rst", "**/README*"):
            for path in sorted(site.glob(pattern)):
                if path.is_file() and not _SKIP.search(path.name) and path.stat().st_size < 2_000_000:
                    text = path.read_text(errors="replace")
                    queries.extend(h.strip() for h in _HEADING.findall(text) if h.strip() not in queries)
                    words = _WORDS.findall(text)
                    if len(words) >= minimum_words:
                        sources.append(Source(path.stem, words))
    for path in sorted(Path("/usr/share/doc").glob("*/README*")):
        if path.is_file() and path.suffix != ".gz" and not _SKIP.search(path.name):
            words = _WORDS.findall(path.read_text(errors="replace"))
            if len(words) >= minimum_words:
                sources.append(Source(path.parent.name, words))
    return sources, queries


def passages(sources: list[Source], count: int, rng: random.Random) -> list[tuple[str, str]]:
    """``count`` (heading, text) windows; longer sources are drawn more often, like real corpora."""
    weights = [len(source.words) for source in sources]
    picked = rng.choices(sources, weights=weights, k=count)
    out = []
    for source in picked:
        size = rng.randint(80, 200)
        start = rng.randrange(max(1, len(source.words) - size))
        out.append((source.title, " ".join(source.words[start : start + size])))
    return out
