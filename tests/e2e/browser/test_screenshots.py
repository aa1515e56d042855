"""Screenshots of every page for the README (`RAGCHAT_UPDATE_SCREENSHOTS=1 make test` rewrites docs/screenshots/).

The names never change (``docs/screenshots/<page>-<light|dark>.png``); a fixed account and document make the
content the same each run apart from dates.
"""

from __future__ import annotations

from tests.e2e.browser.ui import (
    DESKTOP,
    PHONE,
    Page,
    expect,
    open_new_chat,
    screenshot,
    send,
    sign_up,
    upload_and_wait_ready,
)


async def test_screenshots_of_each_page(page: Page) -> None:
    await page.goto("/")
    await expect(page.get_by_test_id("signin-form")).to_be_visible()  # where a new visitor lands
    await screenshot(page, "sign-in")

    await sign_up(page, "ada@example.com")
    await expect(page.get_by_text("Pick a chat or start a new one")).to_be_visible()  # a new account's first page
    await screenshot(page, "welcome", ("light",))
    await upload_and_wait_ready(page, "guide.md")
    await page.get_by_test_id("search-input").fill("HNSW index")
    await page.get_by_test_id("search-button").click()
    await expect(page.get_by_test_id("search-result").first).to_be_visible()
    await screenshot(page, "documents")

    await open_new_chat(page)
    await page.get_by_test_id("rename-chat").click()
    await page.get_by_test_id("rename-input").fill("Pgvector basics")
    await page.get_by_test_id("rename-input").press("Enter")
    await expect(page.get_by_test_id("chat-title")).to_have_text("Pgvector basics")
    answer = await send(page, "What does pgvector add to PostgreSQL, and which index should I use?")
    await expect(answer).to_have_attribute("data-status", "complete")
    await expect(answer.get_by_test_id("citation-chip").first).to_be_visible()
    await screenshot(page, "chat")

    await answer.get_by_test_id("citation-chip").first.click()
    await expect(page.get_by_test_id("citation-panel")).to_be_visible()
    await screenshot(page, "citation", ("light",))
    await page.keyboard.press("Escape")
    await expect(page.get_by_test_id("citation-panel")).to_be_hidden()
    await page.evaluate("document.activeElement?.blur()")  # no focus ring on the chip in the picture

    await page.set_viewport_size(PHONE)
    await screenshot(page, "chat-phone", ("dark",))
    await page.set_viewport_size(DESKTOP)

    await page.get_by_test_id("nav-usage").click()
    await _until_usage_lists(page, "Pgvector basics")
    # Offline, ragchat counts the tokens itself: the page says they are estimates.
    await expect(page.get_by_test_id("usage-total")).to_contain_text("Total tokens (estimated)")
    await expect(page.get_by_test_id("usage-estimate-note")).to_contain_text("All of these counts are estimates")
    await screenshot(page, "usage")


async def _until_usage_lists(page: Page, chat_title: str) -> None:
    """Token usage is stored in the answer's own transaction, so the page lists the chat when it loads."""
    await expect(page.get_by_role("heading", name="Usage")).to_be_visible()
    await expect(page.get_by_test_id("usage-table")).to_contain_text(chat_title, timeout=30_000)
