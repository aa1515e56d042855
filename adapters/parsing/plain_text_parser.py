from __future__ import annotations

import re

from adapters.parsing.text_builder import TextBuilder
from adapters.parsing.text_decoding import decode_text
from application.ports.document_parser import ParsedDocument

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def parse_plain_text(data: bytes, max_chars: int) -> ParsedDocument:
    """Paragraphs (blank-line separated) become blocks; there are no pages or headings in plain text."""
    builder = TextBuilder(max_chars)
    for paragraph in _PARAGRAPH_BREAK.split(decode_text(data)):
        builder.add(paragraph)
    return builder.build()
