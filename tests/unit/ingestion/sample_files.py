"""Small real files built in memory, so parser tests need no binary fixtures in the repository."""

from __future__ import annotations

import io
import zipfile

import docx
from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject


def pdf(pages: list[str], user_password: str | None = None, owner_password: str | None = None) -> bytes:
    """One line of Helvetica text per page (an empty string makes a page without text)."""
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
    for line in pages:
        page = writer.add_blank_page(612, 792)
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})}
        )
        content = DecodedStreamObject()
        escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        content.set_data(f"BT /F1 12 Tf 72 720 Td ({escaped}) Tj ET".encode("latin-1") if line else b"")
        page[NameObject("/Contents")] = writer._add_object(content)
    if user_password is not None or owner_password is not None:
        writer.encrypt(user_password=user_password or "", owner_password=owner_password, algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def word_document() -> bytes:
    document = docx.Document()
    document.add_heading("Handbook", level=0)
    document.add_heading("Travel", level=1)
    document.add_paragraph("Book flights two weeks ahead.")
    document.add_heading("Expenses", level=2)
    document.add_paragraph("Keep every receipt.")
    table = document.add_table(rows=2, cols=2)
    for row, (left, right) in zip(table.rows, [("Item", "Limit"), ("Hotel", "150 EUR")], strict=True):
        row.cells[0].text, row.cells[1].text = left, right
    document.add_heading("Security", level=1)
    document.add_paragraph("Lock your screen.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def zip_bomb(inflated_bytes: int) -> bytes:
    """A DOCX-shaped archive whose document part inflates from a few KB to ``inflated_bytes``."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as part:
            block = b"\0" * (1 << 20)
            for start in range(0, inflated_bytes, len(block)):
                part.write(block[: min(len(block), inflated_bytes - start)])
    return out.getvalue()
