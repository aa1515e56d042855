"""Assembles extracted blocks into one text with spans, so every parser reports positions the same way."""

from __future__ import annotations

from application.ports.document_parser import ParsedDocument, TextSpan, UnreadableDocument

BLOCK_SEPARATOR = "\n\n"


class TextBuilder:
    """Appends blocks (paragraphs, table rows, pages) separated by a blank line.

    Neighbouring blocks with the same page and heading path share one span, which keeps spans few and lets the
    chunker treat a heading's whole section as one stretch of text.
    """

    def __init__(self, max_chars: int) -> None:
        self._parts: list[str] = []
        self._spans: list[TextSpan] = []
        self._length = 0
        self._max_chars = max_chars

    def add(self, text: str, *, page: int | None = None, heading_path: tuple[str, ...] = ()) -> None:
        text = text.strip()
        if not text:
            return
        start = self._length + (len(BLOCK_SEPARATOR) if self._parts else 0)
        end = start + len(text)
        if end > self._max_chars:
            raise UnreadableDocument(
                f"the document has more than {self._max_chars:,} characters of text, the indexing limit"
            )
        if self._parts:
            self._parts.append(BLOCK_SEPARATOR)
        self._parts.append(text)
        self._length = end
        last = self._spans[-1] if self._spans else None
        if last is not None and last.page == page and last.heading_path == heading_path:
            self._spans[-1] = TextSpan(start=last.start, end=end, page=page, heading_path=heading_path)
        else:
            self._spans.append(TextSpan(start=start, end=end, page=page, heading_path=heading_path))

    def build(self, empty_reason: str = "the document contains no text") -> ParsedDocument:
        if not self._parts:
            raise UnreadableDocument(empty_reason)
        return ParsedDocument(text="".join(self._parts), spans=list(self._spans))


class HeadingTrail:
    """The path of headings above the current position: a level-2 heading replaces any earlier level ≥ 2."""

    def __init__(self) -> None:
        self._levels: list[tuple[int, str]] = []

    def enter(self, level: int, title: str) -> None:
        title = " ".join(title.split())[:200]
        if not title:
            return
        while self._levels and self._levels[-1][0] >= level:
            self._levels.pop()
        self._levels.append((level, title))

    @property
    def path(self) -> tuple[str, ...]:
        return tuple(title for _, title in self._levels)
