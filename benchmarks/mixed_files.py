"""A folder of mixed documents for the job benchmark: Markdown, plain text, HTML, DOCX and PDF, of varied
length, written deterministically (same seed, same files)."""

from __future__ import annotations

import io
import random
from pathlib import Path

import docx

from tests.unit.ingestion.sample_files import pdf

TOPICS = {
    "travel": "flight hotel budget receipt station luggage visa itinerary museum harbour",
    "science": "penguin glacier volcano ocean current species climate sample measurement orbit",
    "policy": "employee manager approval holiday expense security password laptop office contract",
    "cooking": "flour butter oven recipe simmer garlic pepper lemon pastry dough",
}
KINDS = ("md", "txt", "html", "docx", "pdf")


def _sentences(rng: random.Random, words: list[str], count: int) -> list[str]:
    return [" ".join(rng.choice(words) for _ in range(rng.randint(8, 18))).capitalize() + "." for _ in range(count)]


def _sections(rng: random.Random, topic: str) -> list[tuple[str, str]]:
    words = TOPICS[topic].split()
    return [(f"{topic.title()} part {n + 1}", " ".join(_sentences(rng, words, rng.randint(6, 30))))
            for n in range(rng.randint(1, 6))]


def _render(kind: str, title: str, sections: list[tuple[str, str]]) -> bytes:
    if kind == "md":
        return "\n\n".join([f"# {title}", *(f"## {h}\n\n{body}" for h, body in sections)]).encode()
    if kind == "txt":
        return "\n\n".join([title, *(f"{h}\n{body}" for h, body in sections)]).encode()
    if kind == "html":
        parts = "".join(f"<h2>{h}</h2><p>{body}</p>" for h, body in sections)
        return f"<html><head><title>{title}</title></head><body><h1>{title}</h1>{parts}</body></html>".encode()
    if kind == "docx":
        document = docx.Document()
        document.add_heading(title, level=0)
        for heading, body in sections:
            document.add_heading(heading, level=1)
            document.add_paragraph(body)
        out = io.BytesIO()
        document.save(out)
        return out.getvalue()
    # One line of text per PDF page: split the sections' sentences into page-sized lines.
    lines = [sentence for _, body in sections for sentence in body.split(". ")]
    return pdf([". ".join(lines[i : i + 3])[:200] for i in range(0, len(lines), 3)])


def write_mixed_folder(folder: Path, count: int = 200, seed: int = 42) -> list[Path]:
    """``count`` files, the five kinds in turn, topics and lengths drawn from ``seed``."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for n in range(count):
        kind, topic = KINDS[n % len(KINDS)], rng.choice(sorted(TOPICS))
        path = folder / f"{n:03d}-{topic}.{kind}"
        path.write_bytes(_render(kind, f"{topic.title()} notes {n}", _sections(rng, topic)))
        written.append(path)
    return written
