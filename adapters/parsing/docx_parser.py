from __future__ import annotations

import io
import re
import zipfile

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table
from docx.text.paragraph import Paragraph

from adapters.parsing.text_builder import HeadingTrail, TextBuilder
from application.ports.document_parser import ParsedDocument, UnreadableDocument
from domain.document_types import MAX_DOCX_PARTS

_HEADING_STYLE = re.compile(r"^heading\s*(\d)$", re.IGNORECASE)
MAX_ARCHIVE_ENTRIES = MAX_DOCX_PARTS


def check_archive(data: bytes, max_uncompressed_bytes: int) -> None:
    """Refuses a "zip bomb" before anything is inflated: the sizes in the central directory are summed, and
    the actual inflation is bounded again by reading through ``zipfile``, which stops at the declared size."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError) as exc:
        raise UnreadableDocument("the DOCX file is damaged (not a readable zip archive)") from exc
    if len(entries) > MAX_ARCHIVE_ENTRIES:
        raise UnreadableDocument(f"the DOCX file has {len(entries):,} parts, more than a document needs")
    total = sum(entry.file_size for entry in entries)
    if total > max_uncompressed_bytes:
        raise UnreadableDocument(
            f"the DOCX file expands to {total:,} bytes, over the {max_uncompressed_bytes:,} byte safety limit"
        )
    if any(entry.flag_bits & 0x1 for entry in entries):
        raise UnreadableDocument("the DOCX file is encrypted")


def parse_docx(data: bytes, max_chars: int, max_uncompressed_bytes: int) -> ParsedDocument:
    """Paragraphs and tables in body order; "Heading N" and "Title" styles build the heading path."""
    check_archive(data, max_uncompressed_bytes)
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise UnreadableDocument("the DOCX file is damaged or not a Word document") from exc
    builder = TextBuilder(max_chars)
    trail = HeadingTrail()
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            level = _heading_level(item)
            if level is not None:
                trail.enter(level, item.text)
            builder.add(item.text, heading_path=trail.path)
        elif isinstance(item, Table):
            builder.add(_table_text(item), heading_path=trail.path)
    return builder.build()


def _heading_level(paragraph: Paragraph) -> int | None:
    name = (paragraph.style.name if paragraph.style is not None else "") or ""
    if name.lower() == "title":
        return 0
    match = _HEADING_STYLE.match(name)
    return int(match.group(1)) if match else None


def _table_text(table: Table) -> str:
    rows = []
    for row in table.rows:
        cells: list[str] = []
        for cell in row.cells:
            text = " ".join(cell.text.split())
            if text and (not cells or cells[-1] != text):  # merged cells repeat their text
                cells.append(text)
        if cells:
            rows.append(" | ".join(cells))
    return "\n".join(rows)
