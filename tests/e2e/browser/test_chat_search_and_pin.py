"""Finding a chat by a word said in it, and pinning one to the top of the list."""

from __future__ import annotations

import httpx

from tests.e2e.browser.ui import PASSWORD, Page, expect, open_new_chat, send, sign_up
from tests.support.api import bearer


async def test_search_chats_by_title_and_content_and_pin_one(page: Page, http: httpx.AsyncClient) -> None:
    await sign_up(page, "finder@example.com")
    tokens = (await http.post("/auth/login", json={"email": "finder@example.com", "password": PASSWORD})).json()
    for title in ("Holiday plans", "Garden shed"):
        assert (await http.post("/chats", json={"title": title}, headers=bearer(tokens))).status_code == 201

    said_in = await open_new_chat(page)
    answer = await send(page, "Which port does the mail relay listen on?")
    await expect(answer).to_have_attribute("data-status", "complete", timeout=30_000)

    links = page.get_by_test_id("chat-link")
    await page.reload()  # the list as the server orders it
    await expect(links).to_have_count(3)
    search = page.get_by_test_id("chat-search")
    await search.fill("MAIL RELAY")
    await expect(page.get_by_test_id("chat-search-status")).to_have_text("1 chat found")
    await expect(links).to_have_count(1)
    await expect(links.first).to_have_attribute("data-chat-id", said_in)
    await search.fill("shed")
    await expect(links).to_have_count(1)
    await expect(links.first).to_contain_text("Garden shed")
    await search.fill("nothing like it")
    await expect(page.get_by_test_id("chat-search-status")).to_have_text("No chats found")
    await search.press("Escape")
    await expect(links).to_have_count(3)

    await links.filter(has_text="Holiday plans").click()
    await page.get_by_test_id("pin-chat").click()
    await expect(page.get_by_test_id("pin-chat")).to_have_text("Unpin")
    await expect(links.first).to_contain_text("Holiday plans")
    await expect(links.first).to_have_attribute("data-pinned", "true")
    await page.reload()
    await expect(links.first).to_contain_text("Holiday plans")
    listed = (await http.get("/chats", headers=bearer(tokens))).json()["items"]
    assert [c["pinned"] for c in listed] == [True, False, False] and listed[0]["title"] == "Holiday plans"
