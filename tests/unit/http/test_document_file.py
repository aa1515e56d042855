"""``GET /documents/{id}/file``: the owner gets the bytes they uploaded, with their type and a safe file name;
anyone else gets the same 404 as for a document that does not exist."""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import quote

from litestar.testing import AsyncTestClient

from tests.unit.http.conftest import sign_in
from tests.unit.ingestion import sample_files

NOTES = b"# Notes\n\nPgvector stores **embeddings**.\n"


async def _upload(http: AsyncTestClient[Any], auth: dict[str, str], name: str, data: bytes, kind: str) -> str:
    created = await http.post("/documents", headers=auth, files={"file": (name, data, kind)})
    assert created.status_code == 201, created.text
    return str(created.json()["id"])


async def test_the_owner_downloads_the_file_as_uploaded(http: AsyncTestClient[Any]) -> None:
    auth = await sign_in(http)
    pdf = sample_files.pdf(["First page", "Second page"])
    pdf_id = await _upload(http, auth, "report.pdf", pdf, "application/pdf")
    md_id = await _upload(http, auth, "notes.md", NOTES, "text/markdown")

    got = await http.get(f"/documents/{pdf_id}/file", headers=auth)
    assert got.status_code == 200
    assert got.content == pdf
    assert got.headers["content-type"] == "application/pdf"
    assert got.headers["content-length"] == str(len(pdf))
    assert got.headers["content-disposition"] == "attachment; filename=\"report.pdf\"; filename*=UTF-8''report.pdf"
    assert got.headers["x-content-type-options"] == "nosniff"

    markdown = await http.get(f"/documents/{md_id}/file", headers=auth)
    assert markdown.content == NOTES
    assert markdown.headers["content-type"].startswith("text/markdown")


async def test_another_user_and_a_missing_id_get_the_same_404(http: AsyncTestClient[Any]) -> None:
    owner = await sign_in(http, "owner@example.com")
    other = await sign_in(http, "other@example.com")
    document_id = await _upload(http, owner, "secret.txt", b"the launch code is 1234", "text/plain")

    foreign = await http.get(f"/documents/{document_id}/file", headers=other)
    missing = await http.get(f"/documents/{uuid.uuid4()}/file", headers=other)
    assert foreign.status_code == missing.status_code == 404
    assert foreign.json()["detail"] == missing.json()["detail"]
    assert b"launch code" not in foreign.content
    assert (await http.get(f"/documents/{document_id}/file")).status_code == 401


async def test_a_hostile_file_name_cannot_break_out_of_the_header(http: AsyncTestClient[Any]) -> None:
    auth = await sign_in(http)
    name = 'ré"sumé; x=1.txt'
    document_id = await _upload(http, auth, name, b"plain words", "text/plain")

    got = await http.get(f"/documents/{document_id}/file", headers=auth)
    disposition = got.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="r__sum_; x=1.txt"; ')
    assert disposition.endswith("filename*=UTF-8''" + quote(name, safe=""))
    assert "\n" not in disposition and "\r" not in disposition


async def test_the_text_route_is_the_owners_only_and_empty_until_indexed(http: AsyncTestClient[Any]) -> None:
    owner = await sign_in(http, "writer@example.com")
    other = await sign_in(http, "reader@example.com")
    document_id = await _upload(http, owner, "handbook.docx", sample_files.word_document(), "application/x")

    got = await http.get(f"/documents/{document_id}/text", headers=owner)
    assert got.status_code == 200
    assert got.json() == {"id": document_id, "filename": "handbook.docx", "text": "", "sections": []}
    assert (await http.get(f"/documents/{document_id}/text", headers=other)).status_code == 404
