from __future__ import annotations

import re

from adapters.parsing.text_builder import HeadingTrail, TextBuilder
from adapters.parsing.text_decoding import decode_text
from application.ports.document_parser import ParsedDocument

_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT_UNDERLINE = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")


def parse_markdown(data: bytes, max_chars: int) -> ParsedDocument:
    """Keeps the Markdown source text (minus setext underlines) and tracks ATX and setext headings, ignoring
    ``#`` lines inside fenced code blocks. A heading's line stays in the text so its words are searchable."""
    lines = decode_text(data).split("\n")
    builder = TextBuilder(max_chars)
    trail = HeadingTrail()
    block: list[str] = []
    in_fence = False

    def flush() -> None:
        builder.add("\n".join(block), heading_path=trail.path)
        block.clear()

    index = 0
    while index < len(lines):
        line = lines[index]
        if _FENCE.match(line):
            in_fence = not in_fence
        if in_fence or _FENCE.match(line):
            block.append(line)
            index += 1
            continue
        heading, consumed = _heading_at(lines, index)
        if heading is not None:
            flush()
            trail.enter(*heading)
            block.append(line)
            index += consumed
            continue
        if line.strip():
            block.append(line)
        else:
            flush()
        index += 1
    flush()
    return builder.build()


def _heading_at(lines: list[str], index: int) -> tuple[tuple[int, str] | None, int]:
    """((level, title), lines consumed) for an ATX heading or a setext title line with its underline."""
    line = lines[index]
    atx = _ATX.match(line)
    if atx:
        return (len(atx.group(1)), (atx.group(2) or "").strip()), 1
    if line.strip() and index + 1 < len(lines):
        underline = _SETEXT_UNDERLINE.match(lines[index + 1])
        if underline:
            return (1 if underline.group(1).startswith("=") else 2, line.strip()), 2
    return None, 1
