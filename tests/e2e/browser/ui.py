"""What a person does in the web UI, as steps the browser tests share, found by the UI's ``data-testid``s."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

try:
    from playwright.async_api import (
        Browser,
        BrowserContext,
        FilePayload,
        Locator,
        Page,
        Response,
        Route,
        ViewportSize,
        async_playwright,
        expect,
    )
except ModuleNotFoundError as missing:  # fail loudly, never skip
    raise ModuleNotFoundError(
        "The browser tests need the Python package `playwright` (driving Debian's chromium): run "
        "`.venv/bin/python -m tests.setup_services` (`make test` does). Never run `playwright install`."
    ) from missing

__all__ = [
    "Browser",
    "BrowserContext",
    "FilePayload",
    "Locator",
    "Page",
    "Response",
    "Route",
    "ViewportSize",
    "async_playwright",
    "expect",
]

PASSWORD = "correct horse battery"
DESKTOP = ViewportSize(width=1280, height=800)
PHONE = ViewportSize(width=390, height=844)
# The README's pictures are rewritten only on request; an ordinary run writes them to a temporary folder so
# `make test` never changes tracked files.
_README_SCREENSHOTS = Path(__file__).resolve().parents[3] / "docs" / "screenshots"
SCREENSHOTS = (
    _README_SCREENSHOTS
    if os.environ.get("RAGCHAT_UPDATE_SCREENSHOTS") == "1"
    else Path(tempfile.gettempdir()) / "ragchat-screenshots"
)
GUIDE = (  # one line per paragraph, as most Markdown editors write it
    "# Pgvector\n\n"
    "Pgvector adds vector similarity search to PostgreSQL. Embeddings are stored in a column of type vector next "
    "to the rows they describe, so one query can filter by owner and rank by similarity at the same time. It "
    "supports cosine distance, inner product and L2 distance, and exact as well as approximate nearest-neighbour "
    "search. Because the vectors live in the same database as the data, backups, transactions and access rules "
    "cover them without a second system to run.\n\n"
    "## Indexes\n\n"
    "An HNSW index answers nearest-neighbour queries quickly at the cost of a slower build and more memory. An "
    "IVFFlat index builds faster and uses less memory, but it must be built after the table holds representative "
    "data, and its recall depends on how many lists are probed per query. Without an index every query scans all "
    "vectors, which is exact and fine for a few thousand rows.\n\n"
    "# Redis\n\n"
    "Redis is an in-memory data store. It is often used for job queues, caches and rate limits, because its "
    "operations are atomic and fast. Data can be persisted to disk with snapshots or an append-only file, and a "
    "replica can take over when the primary fails.\n"
)
_CITATION = re.compile(r"\[(\d+)\]")
_QUOTE_MARK = re.compile(r"^> ?", re.MULTILINE)


async def sign_up(page: Page, email: str, password: str = PASSWORD) -> None:
    await page.goto("/#/signup")
    await expect(page.get_by_test_id("signup-form")).to_be_visible()
    await page.get_by_test_id("auth-email").fill(email)
    await page.get_by_test_id("auth-password").fill(password)
    await page.get_by_test_id("auth-submit").click()
    await expect(page.get_by_test_id("account-email")).to_have_text(email)


async def sign_in(page: Page, email: str, password: str = PASSWORD) -> None:
    await page.goto("/#/signin")
    await expect(page.get_by_test_id("signin-form")).to_be_visible()
    await page.get_by_test_id("auth-email").fill(email)
    await page.get_by_test_id("auth-password").fill(password)
    await page.get_by_test_id("auth-submit").click()
    await expect(page.get_by_test_id("account-email")).to_have_text(email)


async def upload_and_wait_ready(page: Page, filename: str, text: str = GUIDE) -> Locator:
    """Uploads through the file input (as the drop zone does) and waits for the row's live status chip."""
    await page.get_by_test_id("nav-documents").click()
    await page.get_by_test_id("upload-input").set_input_files(
        files=[FilePayload(name=filename, mimeType="text/markdown", buffer=text.encode())]
    )
    row = page.locator(f'[data-testid="document-row"][data-filename="{filename}"]')
    await expect(row.get_by_test_id("doc-status")).to_have_attribute("data-status", "ready", timeout=60_000)
    await expect(row.get_by_test_id("doc-status")).to_have_text("ready")
    return row


async def open_new_chat(page: Page) -> str:
    """Creates a chat from the chat list and waits until its socket is connected; returns the chat id."""
    await page.get_by_test_id("nav-chats").click()
    await page.get_by_test_id("new-chat").click()
    await page.wait_for_url(re.compile(r"#/chats/[0-9a-f-]{36}$"))
    await expect(page.get_by_test_id("connection-indicator")).to_have_attribute("data-state", "open")
    return page.url.rsplit("/", 1)[1]


async def send(page: Page, question: str) -> Locator:
    """Types and sends a question; returns the answer bubble that will answer it."""
    answers = page.get_by_test_id("answer-bubble")
    before = await answers.count()
    await page.get_by_test_id("chat-input").fill(question)
    await page.get_by_test_id("send-button").click()
    return answers.nth(before)


async def rendered_answer(bubble: Locator) -> str:
    """The answer's text as shown (citation chips read as their number), whitespace collapsed."""
    return " ".join((await bubble.locator(".markdown").inner_text()).split())


def as_rendered(stored: str) -> str:
    """What the stored Markdown of a prose-and-quotes answer reads as on screen: ``[n]`` is a chip showing ``n``."""
    return " ".join(_CITATION.sub(r"\1", _QUOTE_MARK.sub("", stored)).split())


async def screenshot(page: Page, name: str, schemes: tuple[str, ...] = ("light", "dark")) -> None:
    """Writes ``<name>-<scheme>.png`` per colour scheme into ``SCREENSHOTS``: the same names every run."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for scheme in schemes:
        await page.emulate_media(color_scheme=scheme)  # type: ignore[arg-type]
        await page.screenshot(path=SCREENSHOTS / f"{name}-{scheme}.png", animations="disabled", caret="hide")
    await page.emulate_media(color_scheme="light")
