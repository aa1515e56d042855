from __future__ import annotations

import io
import logging

from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError

from adapters.parsing.text_builder import TextBuilder
from application.ports.document_parser import ParsedDocument, UnreadableDocument

log = logging.getLogger(__name__)


def parse_pdf(data: bytes, max_chars: int, max_pages: int) -> ParsedDocument:
    """One block per page (1-based page numbers). A PDF locked with only an *owner* password (common for "no
    printing" PDFs) opens with the empty user password; anything else encrypted is refused."""
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                unlocked = reader.decrypt("")
            except (FileNotDecryptedError, NotImplementedError, PdfReadError, DependencyError) as exc:
                reason = "the PDF is encrypted and cannot be opened without its password"
                raise UnreadableDocument(reason) from exc
            if not unlocked:
                raise UnreadableDocument("the PDF is password-protected; upload an unprotected copy")
        page_count = len(reader.pages)
    except PdfReadError as exc:
        raise UnreadableDocument("the file is not a readable PDF (it may be damaged or truncated)") from exc
    if page_count == 0:
        raise UnreadableDocument("the PDF has no pages")
    if page_count > max_pages:
        raise UnreadableDocument(f"the PDF has {page_count:,} pages; at most {max_pages:,} can be indexed")
    builder = TextBuilder(max_chars)
    unreadable_pages = 0
    for number, page in enumerate(reader.pages, start=1):
        try:
            text = page.extract_text() or ""
        except (PdfReadError, ValueError, KeyError, TypeError) as exc:
            unreadable_pages += 1
            log.warning("pdf page unreadable", extra={"page": number, "error": repr(exc)})
            continue
        builder.add(text, page=number)
    if unreadable_pages == page_count:
        raise UnreadableDocument("none of the PDF's pages could be read (it may be damaged)")
    return builder.build("the PDF has no extractable text (it may be scanned images; OCR is not supported)")
