"""A document's text rebuilt from its indexed chunks is the extracted text, at the offsets citations use."""

from __future__ import annotations

import uuid

import pytest

from adapters.parsing.document_parsers import DocumentParsers
from application.commands import GetDocumentText
from domain.document_types import DocumentType
from domain.errors import NotFound
from tests.unit.ingestion import sample_files
from tests.unit.ingestion.harness import Harness

OWNER = uuid.uuid4()


async def test_a_word_documents_text_and_sections_come_back_from_its_chunks() -> None:
    harness = Harness()
    data = sample_files.word_document()
    document = await harness.index(await harness.upload(OWNER, "handbook.docx", data))
    parsed = await DocumentParsers().parse(data, DocumentType.DOCX.value)

    found = await harness.dispatch(GetDocumentText(owner_id=OWNER, document_id=document.id))
    assert found.text == parsed.text
    # Sections are the chunks' (a heading with little under it joins the next section), in order, covering all.
    assert found.sections[0].start == 0 and found.sections[-1].end == len(found.text)
    assert all(a.end <= b.start for a, b in zip(found.sections, found.sections[1:], strict=False))
    assert [s.heading_path for s in found.sections][-1] == ["Handbook", "Security"]
    assert {tuple(s.heading_path) for s in found.sections} <= {s.heading_path for s in parsed.spans}
    for chunk in harness.store.chunks[document.id]:  # every citation's offsets point at its own text
        assert found.text[chunk.char_start : chunk.char_end] == chunk.text


async def test_a_long_document_with_overlapping_chunks_reads_whole() -> None:
    harness = Harness()
    text = "\n\n".join(f"Paragraph {i} says something about topic {i} in plain words." for i in range(40))
    document = await harness.index(await harness.upload(OWNER, "long.txt", text.encode()))
    assert len(harness.store.chunks[document.id]) > 3
    found = await harness.dispatch(GetDocumentText(owner_id=OWNER, document_id=document.id))
    assert found.text == text


async def test_another_owner_gets_not_found() -> None:
    harness = Harness()
    document = await harness.index(await harness.upload(OWNER, "notes.txt", b"private words"))
    with pytest.raises(NotFound):
        await harness.dispatch(GetDocumentText(owner_id=uuid.uuid4(), document_id=document.id))
