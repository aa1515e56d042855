"""Which passages an answer actually cited.

The model is asked to write ``[n]``; only numbers that appear in the answer *and* name a passage that was in
the prompt become citations, in the order they were first cited. ``[1, 2]``, ``[1][2]`` and ``[1-3]`` all
count. A streaming variant finds them as deltas arrive, even when a marker is split across two deltas.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from domain.documents import Passage
from domain.messages import Citation

_DASH = "-\u2013"
"""Hyphen or en dash between range bounds; first in a character class so it is not a range itself."""
_MARKER = re.compile(rf"\[(\s*\d+\s*(?:[{_DASH},]\s*\d+\s*)*)\]")
_MAX_RANGE = 50
_OPEN_TAIL = re.compile(rf"\[[{_DASH}\d\s,]*$")
"""An unfinished marker at the end of the text seen so far."""


def cited_numbers(text: str, passage_count: int) -> list[int]:
    """Valid passage numbers cited in ``text``, first citation first, each once."""
    seen: dict[int, None] = {}
    for match in _MARKER.finditer(text):
        for n in _expand(match.group(1)):
            if 1 <= n <= passage_count:
                seen.setdefault(n, None)
    return list(seen)


def _expand(inner: str) -> list[int]:
    numbers: list[int] = []
    for part in inner.split(","):
        bounds = [int(b) for b in re.split(f"[{_DASH}]", part) if b.strip()]
        if len(bounds) == 2 and bounds[0] <= bounds[1] and bounds[1] - bounds[0] <= _MAX_RANGE:
            numbers.extend(range(bounds[0], bounds[1] + 1))
        elif len(bounds) == 1:
            numbers.append(bounds[0])
    return numbers


def citation_for(n: int, passage: Passage) -> Citation:
    return Citation(
        n=n,
        chunk_id=passage.chunk_id,
        document_id=passage.document_id,
        filename=passage.filename,
        text=passage.text,
        page=passage.page,
        heading_path=list(passage.heading_path),
        char_start=passage.char_start,
        char_end=passage.char_end,
    )


def cited_passages(answer: str, passages: Sequence[Passage]) -> list[Citation]:
    """The citations to send and persist: the passages of the prompt that the answer cited."""
    return [citation_for(n, passages[n - 1]) for n in cited_numbers(answer, len(passages))]


class CitationScanner:
    """Feeds on streamed deltas and reports each newly cited passage once, as soon as its marker is complete,
    so the runtime can send a ``citation`` frame while the answer is still streaming."""

    def __init__(self, passages: Sequence[Passage]) -> None:
        self._passages = list(passages)
        self._text = ""
        self._scanned_to = 0
        self._reported: set[int] = set()

    def feed(self, delta: str) -> list[Citation]:
        self._text += delta
        return self._scan(final=False)

    def finish(self) -> list[Citation]:
        return self._scan(final=True)

    def _scan(self, *, final: bool) -> list[Citation]:
        end = len(self._text)
        if not final and (tail := _OPEN_TAIL.search(self._text, self._scanned_to)):
            end = tail.start()  # wait for the rest of a marker split across deltas
        fresh: list[Citation] = []
        for n in cited_numbers(self._text[self._scanned_to : end], len(self._passages)):
            if n not in self._reported:
                self._reported.add(n)
                fresh.append(citation_for(n, self._passages[n - 1]))
        self._scanned_to = max(self._scanned_to, end)
        return fresh
