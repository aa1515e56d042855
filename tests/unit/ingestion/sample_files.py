"""Small real files built in memory, so parser tests need no binary fixtures in the repository."""

from __future__ import annotations

import io
import zipfile

import docx

from tests.support.text_pdf import helvetica_pdf


def pdf(pages: list[str], user_password: str | None = None, owner_password: str | None = None) -> bytes:
    """One line of Helvetica text per page (an empty string makes a page without text)."""
    return helvetica_pdf([_line(line) for line in pages], user_password, owner_password)


def _line(line: str) -> bytes:
    escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    return f"BT /F1 12 Tf 72 720 Td ({escaped}) Tj ET".encode("latin-1") if line else b""


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
