"""Upload inspection stays cheap on hostile archives: a DOCX claiming more parts than a document needs is
refused from the zip's end record, without listing its directory."""

from __future__ import annotations

import io
import zipfile

import pytest

from domain.document_types import MAX_DOCX_PARTS, DocumentType, detect_document_type
from domain.errors import UnsupportedDocumentType
from tests.unit.ingestion.sample_files import word_document


def _many_parts(count: int) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("word/document.xml", b"<w:document/>")
        for n in range(count - 1):
            archive.writestr(f"p/{n}", b"")
    return out.getvalue()


def test_a_docx_with_too_many_parts_is_refused_from_its_end_record() -> None:
    with pytest.raises(UnsupportedDocumentType, match=f"{MAX_DOCX_PARTS + 1:,} parts"):
        detect_document_type("many.docx", _many_parts(MAX_DOCX_PARTS + 1))


def test_a_real_docx_and_one_at_the_part_limit_are_accepted() -> None:
    assert detect_document_type("real.docx", word_document()) is DocumentType.DOCX
    assert detect_document_type("full.docx", _many_parts(MAX_DOCX_PARTS)) is DocumentType.DOCX
