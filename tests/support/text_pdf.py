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


def helvetica_pdf(contents: list[bytes], user_password: str | None = None, owner_password: str | None = None) -> bytes:
    """One page per content stream (PDF text operators using font ``/F1``, Helvetica); with a password, AES
    encrypted."""
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
    for data in contents:
        page = writer.add_blank_page(612, 792)
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})}
        )
        content = DecodedStreamObject()
        content.set_data(data)
        page[NameObject("/Contents")] = writer._add_object(content)
    if user_password is not None or owner_password is not None:
        writer.encrypt(user_password=user_password or "", owner_password=owner_password, algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def text_pdf(pages: list[str]) -> bytes:
    """One page per string, wrapped at 80 characters (a page holds about 46 lines; more is cut off)."""
    return helvetica_pdf([_content(text) for text in pages])
