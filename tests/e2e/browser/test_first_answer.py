"""A new person's first session: sign up, upload a Markdown file, ask about it, read the cited passage."""

from __future__ import annotations

import time

import httpx

from tests.e2e.browser.ui import (
    PASSWORD,
    Page,
    as_rendered,
    expect,
    open_new_chat,
    rendered_answer,
    send,
    sign_up,
    upload_and_wait_ready,
)
from tests.support.api import bearer


async def test_sign_up_upload_ask_and_open_a_citation(page: Page, http: httpx.AsyncClient) -> None:
    await sign_up(page, "ada@example.com")
    await upload_and_wait_ready(page, "guide.md")
    chat_id = await open_new_chat(page)

    started = time.monotonic()
    answer = await send(page, "What does pgvector add to PostgreSQL?")
    await expect(answer).to_have_attribute("data-status", "complete", timeout=30_000)
    print(f"\nfirst answer in the browser: {time.monotonic() - started:.2f} s from send to complete")

    await expect(page.get_by_test_id("user-message")).to_have_attribute("data-status", "complete")
    chip = answer.get_by_test_id("citation-chip").first
    await expect(chip).to_be_visible()
    await expect(answer).to_contain_text("vector similarity search")
    await chip.click()
    panel = page.get_by_test_id("citation-panel")
    await expect(panel).to_be_visible()
    await expect(panel).to_contain_text("guide.md")
    await expect(panel).to_contain_text("Pgvector adds vector similarity search to PostgreSQL.")

    login = await http.post("/auth/login", json={"email": "ada@example.com", "password": PASSWORD})
    stored = (await http.get(f"/chats/{chat_id}", headers=bearer(login.json()))).json()["messages"]
    assert [m["role"] for m in stored] == ["user", "assistant"]
    assert await answer.get_attribute("data-message-id") == stored[1]["id"]
    assert await rendered_answer(answer) == as_rendered(stored[1]["content"])
