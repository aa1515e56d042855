"""Token windows with overlap over a parsed document, cut at word boundaries, never across a heading change.

Why these rules: a chunk must fit the embedder's window (so sizes are in the embedder's tokens); the overlap
keeps a sentence that straddles two windows whole in at least one; a new heading starts a new chunk so a
citation's heading path is true for all of its text; tiny sections (a heading with one line under it) are
merged into the next section instead of becoming near-empty chunks.
"""

from __future__ import annotations

import bisect

import msgspec

from application.ingestion.policy import IndexingPolicy
from application.ports.document_parser import ParsedDocument, TextSpan
from application.ports.tokenizer import Tokenizer


class ChunkDraft(msgspec.Struct, frozen=True, kw_only=True):
    ordinal: int
    text: str
    char_start: int
    char_end: int
    page: int | None
    heading_path: tuple[str, ...]
    tokens: int = 0
    """Tokens of ``embedding_input`` (the heading line included, without the model's special tokens): what
    the embedder pays for this draft, so batches can be ordered by it (characters per token vary threefold
    between prose and code)."""

    @property
    def embedding_input(self) -> str:
        """The heading path is prepended so a passage's topic is in its vector even when its text omits it."""
        if not self.heading_path:
            return self.text
        return " > ".join(self.heading_path) + "\n" + self.text


class _Section(msgspec.Struct, kw_only=True):
    start: int
    end: int
    heading_path: tuple[str, ...]
    tokens: list[tuple[int, int]]


def chunk_document(document: ParsedDocument, tokenizer: Tokenizer, policy: IndexingPolicy) -> list[ChunkDraft]:
    sections = _merge_small(_sections(document, tokenizer), minimum=max(1, policy.chunk_size_tokens // 8))
    page_starts = [span.start for span in document.spans]
    drafts: list[ChunkDraft] = []
    for section in sections:
        heading = len(tokenizer.token_offsets(" > ".join(section.heading_path) + "\n")) if section.heading_path else 0
        for first, last in _windows(document.text, section.tokens, policy):
            start, end = section.tokens[first][0], section.tokens[last - 1][1]
            drafts.append(
                ChunkDraft(
                    ordinal=len(drafts),
                    text=document.text[start:end],
                    char_start=start,
                    char_end=end,
                    page=_page_at(document.spans, page_starts, start),
                    heading_path=section.heading_path,
                    tokens=heading + last - first,
                )
            )
    return drafts


def _sections(document: ParsedDocument, tokenizer: Tokenizer) -> list[_Section]:
    """Consecutive spans under the same heading path form one section (pages do not split sections)."""
    groups: list[list[TextSpan]] = []
    for span in document.spans:
        if groups and groups[-1][-1].heading_path == span.heading_path:
            groups[-1].append(span)
        else:
            groups.append([span])
    sections = []
    for group in groups:
        start, end = group[0].start, group[-1].end
        offsets = tokenizer.token_offsets(document.text[start:end])
        tokens = [(start + a, start + b) for a, b in offsets if b > a]
        sections.append(_Section(start=start, end=end, heading_path=group[0].heading_path, tokens=tokens))
    return [section for section in sections if section.tokens]


def _merge_small(sections: list[_Section], minimum: int) -> list[_Section]:
    merged: list[_Section] = []
    carry: _Section | None = None
    for section in sections:
        if carry is not None:
            section = _joined(carry, section)
            carry = None
        if len(section.tokens) < minimum:
            carry = section
        else:
            merged.append(section)
    if carry is not None:
        merged.append(_joined(merged.pop(), carry) if merged else carry)
    return merged


def _joined(first: _Section, second: _Section) -> _Section:
    """A heading with little under it joins what follows. The joined section's heading path must be true for
    all of its text: the deeper path when one contains the other (a chapter title, then its first section),
    else the headings both share."""
    a, b = first.heading_path, second.heading_path
    if b[: len(a)] == a:
        path = b
    elif a[: len(b)] == b:
        path = a
    else:
        common = 0
        while common < min(len(a), len(b)) and a[common] == b[common]:
            common += 1
        path = a[:common]
    return _Section(start=first.start, end=second.end, heading_path=path, tokens=first.tokens + second.tokens)


def _windows(text: str, tokens: list[tuple[int, int]], policy: IndexingPolicy) -> list[tuple[int, int]]:
    """Token windows as ``(first, last)`` indices into ``tokens``, ``last`` excluded. A window's end backs off
    (by up to a quarter of its size) to the end of a word, and the next window starts ``overlap`` tokens
    earlier, moved forward to the start of a word."""
    size, overlap, count = policy.chunk_size_tokens, policy.chunk_overlap_tokens, len(tokens)
    ranges: list[tuple[int, int]] = []
    first = 0
    while first < count:
        last = min(first + size, count)
        if last < count:
            floor = first + max(1, size * 3 // 4)
            cut = last
            while cut > floor and not _starts_word(text, tokens, cut):
                cut -= 1
            last = cut if cut > floor else last
        ranges.append((first, last))
        if last >= count:
            break
        following = max(last - overlap, first + 1)
        while following < last and not _starts_word(text, tokens, following):
            following += 1
        first = following
    return ranges


def _starts_word(text: str, tokens: list[tuple[int, int]], index: int) -> bool:
    """Token ``index`` begins a new word: there is a gap (whitespace) between it and the token before."""
    return index == 0 or tokens[index][0] > tokens[index - 1][1] or not text[tokens[index][0]].isalnum()


def _page_at(spans: list[TextSpan], starts: list[int], offset: int) -> int | None:
    position = bisect.bisect_right(starts, offset) - 1
    return spans[position].page if position >= 0 else None
