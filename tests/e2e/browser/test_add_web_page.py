""""Add web page" on the documents page: a page from a local server (an intranet install allows private
addresses) becomes a document with its address and "Fetch again"; a refused address says why."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from tests.e2e.browser.ui import Page, expect, sign_up
from tests.support.web_server import Page as WebPage
from tests.support.web_server import WebServer

KRILL = b"<html><head><title>Krill</title></head><body><h1>Krill</h1><p>Antarctic krill eat algae.</p></body></html>"


@pytest.fixture
async def site() -> AsyncIterator[WebServer]:
    async with WebServer() as server:
        server.pages["/wiki/Krill"] = WebPage(body=KRILL)
        yield server


@pytest.fixture
def server_env(server_env: dict[str, str]) -> dict[str, str]:
    return {**server_env, "RAGCHAT_URL_IMPORT_ALLOW_PRIVATE": "true"}


async def test_a_web_page_is_added_and_fetched_again(page: Page, site: WebServer) -> None:
    await sign_up(page, "linus@example.com")
    await page.get_by_test_id("nav-documents").click()

    await page.get_by_test_id("add-url-input").fill("http://169.254.169.254/latest/meta-data/")
    await page.get_by_test_id("add-url-submit").click()
    await expect(page.get_by_test_id("add-url-error")).to_contain_text("cloud metadata address")

    await page.get_by_test_id("add-url-input").fill(site.url("/wiki/Krill"))
    await page.get_by_test_id("add-url-submit").click()
    row = page.locator('[data-testid="document-row"][data-filename="127.0.0.1 - Krill.html"]')
    await expect(row.get_by_test_id("doc-status")).to_have_attribute("data-status", "ready", timeout=60_000)
    await expect(row.get_by_role("link", name=site.url("/wiki/Krill"))).to_be_visible()
    await expect(page.get_by_test_id("add-url-input")).to_have_value("")

    await row.get_by_test_id("refetch-document").click()
    async with asyncio.timeout(30):  # the page is fetched again
        await site.wait_for_requests(2)
    await expect(row.get_by_test_id("refetch-document")).to_have_text("Fetch again")
    await expect(row.get_by_test_id("doc-status")).to_have_attribute("data-status", "ready")
    assert [r.split(" ")[1] for r in site.requests] == ["/wiki/Krill", "/wiki/Krill"]
