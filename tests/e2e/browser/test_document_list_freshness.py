"""The document list never hides what this tab just did: a list response that left before an upload finished
(a busy server answers the GET after the POST) must not replace the list without the new document, which would
also stop the polling that moves its status chip."""

from __future__ import annotations

import asyncio

import pytest

from tests.e2e.browser.ui import GUIDE, FilePayload, Page, Response, Route, expect, sign_up
from tests.support.server_process import ServerProcess


@pytest.fixture(scope="module")
def server(module_server: ServerProcess) -> ServerProcess:
    return module_server


async def test_an_upload_that_finishes_before_the_list_arrives_stays_listed_and_reaches_ready(page: Page) -> None:
    await sign_up(page, "slow-list@example.com")
    uploaded = asyncio.Event()
    held: list[str] = []

    async def hold_the_first_list(route: Route) -> None:
        if route.request.method != "GET" or held:
            await route.continue_()
            return
        held.append(route.request.url)
        response = await route.fetch()  # the server answers now, before the upload...
        await uploaded.wait()  # ...and the page sees that answer only after the upload's
        await route.fulfill(response=response)

    await page.route("**/documents", hold_the_first_list)

    def on_response(response: Response) -> None:
        if response.request.method == "POST" and response.url.endswith("/documents"):
            uploaded.set()

    page.on("response", on_response)
    await page.get_by_test_id("nav-documents").click()
    await expect(page.get_by_text("Loading documents…")).to_be_visible()
    await page.get_by_test_id("upload-input").set_input_files(
        files=[FilePayload(name="late.md", mimeType="text/markdown", buffer=GUIDE.encode())]
    )
    await asyncio.wait_for(uploaded.wait(), timeout=60)
    assert held, "the list request was never held: the test did not set up the race"

    row = page.locator('[data-testid="document-row"][data-filename="late.md"]')
    await expect(row.get_by_test_id("doc-status")).to_have_attribute("data-status", "ready", timeout=60_000)
    await expect(page.get_by_test_id("document-row")).to_have_count(1)
