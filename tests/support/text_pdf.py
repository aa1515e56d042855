"""A PDF of real-looking pages (many lines of Helvetica text each), built in memory with pypdf, for tests that
need a cited page other than the first and text that a browser's PDF renderer lays out line by line."""

from __future__ import annotations

import io
import textwrap

from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

LINE_CHARS = 80
LEADING = 14


def _content(text: str) -> bytes:
    lines = textwrap.wrap(text, LINE_CHARS)[: (792 - 144) // LEADING]
    escaped = [line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") for line in lines]
    body = " ".join(f"({line}) Tj 0 -{LEADING} Td" for line in escaped)
    return f"BT /F1 11 Tf 72 720 Td {body} ET".encode("latin-1")


def text_pdf(pages: list[str]) -> bytes:
    """One page per string, wrapped at 80 characters (a page holds about 46 lines; more is cut off)."""
    writer = PdfWriter()
    font = writer._add_object(
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
            }
        )
    )
    for text in pages:
        page = writer.add_blank_page(612, 792)
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})}
        )
        content = DecodedStreamObject()
        content.set_data(_content(text))
        page[NameObject("/Contents")] = writer._add_object(content)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
