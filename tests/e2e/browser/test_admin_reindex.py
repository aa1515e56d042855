"""The administrator re-indexes every document from the admin page; progress ends in "finished", and the
document is still searchable afterwards."""

from __future__ import annotations

from tests.e2e.browser.ui import Page, expect, sign_up, upload_and_wait_ready


async def test_the_administrator_reindexes_from_the_admin_page(page: Page) -> None:
    await sign_up(page, "admin@example.com")  # the first account: the administrator
    row = await upload_and_wait_ready(page, "guide.md")

    await page.get_by_test_id("nav-admin").click()
    section = page.get_by_test_id("admin-reindex-section")
    await expect(section).to_contain_text("stay searchable")
    await section.get_by_test_id("admin-reindex").click()
    await expect(section.get_by_test_id("admin-reindex-status")).to_have_text(
        "Re-index finished: 1 document re-embedded with the current embedder.", timeout=60_000
    )
    await expect(section.get_by_test_id("admin-reindex")).to_be_enabled()

    await page.get_by_test_id("nav-documents").click()
    await expect(row.get_by_test_id("doc-status")).to_have_text("ready")
