"""Each parser on small real files: text, pages and headings come out; bad files fail with a reason."""

from __future__ import annotations

import pytest

from adapters.parsing.document_parsers import DocumentParsers, ParserLimits
from application.ports.document_parser import ParsedDocument, UnreadableDocument
from domain.document_types import DocumentType
from tests.unit.ingestion import sample_files

PARSERS = DocumentParsers(
    ParserLimits(max_pdf_pages=5, max_docx_uncompressed_bytes=1_000_000, max_text_chars=10_000)
)


def parse(data: bytes, kind: DocumentType) -> ParsedDocument:
    return PARSERS.parse_sync(data, kind.value)


def by_heading(parsed: ParsedDocument) -> dict[tuple[str, ...], str]:
    return {span.heading_path: parsed.text[span.start : span.end] for span in parsed.spans}


def test_pdf_text_keeps_its_page_numbers() -> None:
    parsed = parse(sample_files.pdf(["First page words", "", "Third page words"]), DocumentType.PDF)
    pages = {span.page: parsed.text[span.start : span.end] for span in parsed.spans}
    assert pages == {1: "First page words", 3: "Third page words"}


def test_pdf_with_only_an_owner_password_opens() -> None:
    data = sample_files.pdf(["Readable anyway"], owner_password="owner-secret")
    assert parse(data, DocumentType.PDF).text == "Readable anyway"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (sample_files.pdf(["secret"], user_password="pw", owner_password="pw"), "password"),
        (b"%PDF-1.7\n this is not really a pdf", "not a readable PDF|damaged"),
        (sample_files.pdf(["", ""]), "no extractable text"),
        (sample_files.pdf(["page"] * 6), "6 pages; at most 5"),
    ],
    ids=["encrypted", "corrupt", "scanned-or-empty", "too-many-pages"],
)
def test_unreadable_pdfs_fail_with_a_reason(data: bytes, reason: str) -> None:
    with pytest.raises(UnreadableDocument, match=reason):
        parse(data, DocumentType.PDF)


def test_docx_paragraphs_and_tables_carry_their_heading_path() -> None:
    sections = by_heading(parse(sample_files.word_document(), DocumentType.DOCX))
    assert sections[("Handbook", "Travel")] == "Travel\n\nBook flights two weeks ahead."
    assert (
        sections[("Handbook", "Travel", "Expenses")]
        == "Expenses\n\nKeep every receipt.\n\nItem | Limit\nHotel | 150 EUR"
    )
    assert sections[("Handbook", "Security")] == "Security\n\nLock your screen."


def test_docx_zip_bomb_is_refused_before_inflating() -> None:
    with pytest.raises(UnreadableDocument, match="safety limit"):
        parse(sample_files.zip_bomb(5_000_000), DocumentType.DOCX)


def test_damaged_docx_fails_with_a_reason() -> None:
    data = sample_files.word_document()
    with pytest.raises(UnreadableDocument, match="damaged"):
        parse(data[: len(data) // 2], DocumentType.DOCX)


def test_markdown_tracks_atx_and_setext_headings_but_not_code() -> None:
    source = (
        "Guide\n=====\n\nIntro text.\n\n## Install\n\nRun it.\n\n"
        "```sh\n# not a heading\npip install x\n```\n\n"
        "Usage\n-----\nCall it.\n"
    )
    sections = by_heading(parse(source.encode(), DocumentType.MARKDOWN))
    assert sections[("Guide",)] == "Guide\n\nIntro text."
    assert (
        sections[("Guide", "Install")]
        == "## Install\n\nRun it.\n\n```sh\n# not a heading\npip install x\n```"
    )
    assert sections[("Guide", "Usage")] == "Usage\nCall it."


def test_html_drops_scripts_and_styles_and_keeps_headings() -> None:
    page = b"""<html><head><title>t</title><style>p{color:red}</style></head><body>
        <script>alert('x')</script><h1>Policies</h1><p>Be <b>kind</b> &amp; fair.</p>
        <h2>Leave</h2><ul><li>25 days</li><li>carry over 5</li></ul><noscript>enable js</noscript>
        <p>Unclosed paragraph<div>block</div></body></html>"""
    parsed = parse(page, DocumentType.HTML)
    sections = by_heading(parsed)
    assert sections[("Policies",)] == "Policies\n\nBe kind & fair."
    assert (
        sections[("Policies", "Leave")] == "Leave\n\n25 days\n\ncarry over 5\n\nUnclosed paragraph\n\nblock"
    )
    assert "alert" not in parsed.text and "color" not in parsed.text and "enable js" not in parsed.text


def test_deeply_nested_html_does_not_overflow_the_stack() -> None:
    page = b"<div>" * 20_000 + b"deep" + b"</div>" * 20_000
    assert parse(page, DocumentType.HTML).text == "deep"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("Grüße aus Köln\n\nZweiter Absatz".encode(), "Grüße aus Köln\n\nZweiter Absatz"),
        (
            "Résumé café, naïve façade — déjà vu à Noël".encode("cp1252"),
            "Résumé café, naïve façade — déjà vu à Noël",
        ),
        ("Hello UTF-16 ✓".encode("utf-16"), "Hello UTF-16 ✓"),
        (b"line one\r\nline two\r\n", "line one\nline two"),
    ],
    ids=["utf-8", "cp1252", "utf-16-bom", "crlf"],
)
def test_plain_text_decodes_whatever_the_encoding(data: bytes, expected: str) -> None:
    assert parse(data, DocumentType.TEXT).text == expected


def test_text_in_mixed_encodings_still_yields_text() -> None:
    data = "naïve UTF-8 part. ".encode() + "et une partie en latin-1: élève".encode("latin-1")
    text = parse(data, DocumentType.TEXT).text
    assert text.startswith("na") and "partie en latin-1" in text


@pytest.mark.parametrize("data", [b"", b"   \n\t\n", b"\x00\x00"], ids=["empty", "blank", "nul"])
def test_documents_without_text_fail(data: bytes) -> None:
    with pytest.raises(UnreadableDocument):
        parse(data, DocumentType.TEXT)


def test_text_over_the_character_limit_fails() -> None:
    with pytest.raises(UnreadableDocument, match="10,000 characters"):
        parse(b"word " * 3_000, DocumentType.TEXT)


async def test_parse_runs_off_the_event_loop_and_rejects_unknown_types() -> None:
    assert (await PARSERS.parse(b"hello", DocumentType.TEXT.value)).text == "hello"
    with pytest.raises(UnreadableDocument, match="cannot be indexed"):
        await PARSERS.parse(b"hello", "application/x-msdownload")
    with pytest.raises(UnreadableDocument, match="empty"):
        await PARSERS.parse(b"", DocumentType.PDF.value)
