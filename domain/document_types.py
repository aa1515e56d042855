"""Which files we accept, decided from the name *and* the bytes (a renamed executable is not a PDF)."""

from __future__ import annotations

import io
import zipfile
from enum import StrEnum

from domain.errors import InvalidInput, UnsupportedDocumentType


class DocumentType(StrEnum):
    PDF = "application/pdf"
    DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    MARKDOWN = "text/markdown"
    HTML = "text/html"
    TEXT = "text/plain"


_BY_EXTENSION: dict[str, DocumentType] = {
    ".pdf": DocumentType.PDF,
    ".docx": DocumentType.DOCX,
    ".md": DocumentType.MARKDOWN,
    ".markdown": DocumentType.MARKDOWN,
    ".html": DocumentType.HTML,
    ".htm": DocumentType.HTML,
    ".txt": DocumentType.TEXT,
    ".text": DocumentType.TEXT,
}

SUPPORTED_EXTENSIONS = tuple(sorted(_BY_EXTENSION))


def _looks_like_text(data: bytes) -> bool:
    head = data[:8192]
    return b"\x00" not in head or head.startswith((b"\xff\xfe", b"\xfe\xff"))  # UTF-16 has NULs


MAX_DOCX_PARTS = 10_000
"""A Word document has tens of zip entries; hundreds of thousands only make listing them slow."""
_END_OF_DIRECTORY = b"PK\x05\x06"


def _declared_entries(data: bytes) -> int | None:
    """The entry count in the zip's end-of-central-directory record (the last 22 bytes plus a comment of up
    to 64 KB), read without parsing the directory itself; ``None`` when absent or deferred to ZIP64."""
    at = data.rfind(_END_OF_DIRECTORY, max(0, len(data) - 22 - 0xFFFF))
    if at < 0 or at + 12 > len(data):
        return None
    count = int.from_bytes(data[at + 10 : at + 12], "little")
    return None if count == 0xFFFF else count


def _is_docx(data: bytes) -> bool:
    if not data.startswith(b"PK\x03\x04"):
        return False
    entries = _declared_entries(data)
    if entries is not None and entries > MAX_DOCX_PARTS:
        raise UnsupportedDocumentType(f"the DOCX file has {entries:,} parts, more than a document needs")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False


def detect_document_type(filename: str, data: bytes) -> DocumentType:
    """Raises ``UnsupportedDocumentType`` unless extension and content agree on a type we can index."""
    if not data:
        raise InvalidInput("the file is empty", field="file")
    dot = filename.rfind(".")
    extension = filename[dot:].lower() if dot >= 0 else ""
    expected = _BY_EXTENSION.get(extension)
    if expected is None:
        raise UnsupportedDocumentType(
            f"unsupported file type {extension or '(no extension)'}; supported: {', '.join(SUPPORTED_EXTENSIONS)}"
        )
    if expected is DocumentType.PDF:
        matches = data.lstrip()[:5] == b"%PDF-"
    elif expected is DocumentType.DOCX:
        matches = _is_docx(data)
    else:
        matches = _looks_like_text(data)
    if not matches:
        raise UnsupportedDocumentType(f"the file's content is not {expected.name} as its name {filename!r} says")
    return expected


def clean_filename(raw: str) -> str:
    """Keeps only the last path component and drops control characters, so a name is safe to show and log."""
    name = raw.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    if not name or name in {".", ".."}:
        raise InvalidInput("the file needs a name", field="file")
    return name[:255]
