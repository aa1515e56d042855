"""Regenerate, edit-and-resend and copy in the web UI, with a second tab of the same chat that must end up showing
what a reload shows; and the keyboard: opening a chat lands in the composer, answers cost one Tab stop each."""

from __future__ import annotations

import httpx
import pytest

from tests.e2e.browser.ui import PASSWORD, Page, expect, open_new_chat, send, sign_up, upload_and_wait_ready
from tests.support.api import bearer
from tests.support.server_process import ServerProcess


@pytest.fixture(scope="module")
def server(module_server: ServerProcess) -> ServerProcess:
    """One server for the module: each test signs up users of its own."""
    return module_server

CHIPS_IN_TAB_ORDER = (
    "[...document.querySelectorAll('[data-testid=\"citation-chip\"]')].filter((c) => c.tabIndex >= 0).length"
)


async def _transcript(page: Page) -> list[tuple[str, str]]:
    """(role, id) of every bubble shown, in order."""
    return [
        (str(role), str(message_id))
        for role, message_id in await page.evaluate(
            """() => [...document.querySelectorAll('[data-testid="user-message"], [data-testid="answer-bubble"]')]
                 .map((el) => [el.dataset.testid === 'user-message' ? 'user' : 'assistant', el.dataset.messageId])"""
        )
    ]


async def _stored(http: httpx.AsyncClient, token: dict[str, str], chat_id: str) -> list[tuple[str, str]]:
    messages = (await http.get(f"/chats/{chat_id}", headers=bearer(token))).json()["messages"]
    return [(m["role"], m["id"]) for m in messages]


async def test_regenerate_edit_and_copy_keep_two_tabs_and_history_alike(page: Page, http: httpx.AsyncClient) -> None:
    await page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    await sign_up(page, "editor@example.com")
    token = (await http.post("/auth/login", json={"email": "editor@example.com", "password": PASSWORD})).json()
    chat_id = await open_new_chat(page)
    assert await page.evaluate("document.activeElement.id") == "chat-input", "a new chat opens in its composer"

    first = await send(page, "What does pgvector add?")
    await expect(first).to_have_attribute("data-status", "complete", timeout=30_000)
    second = await send(page, "And what about Redis?")
    await expect(second).to_have_attribute("data-status", "complete", timeout=30_000)

    other = await page.context.new_page()  # a second tab of the same chat
    await other.goto(f"/#/chats/{chat_id}")
    await expect(other.get_by_test_id("answer-bubble")).to_have_count(2)
    assert await other.evaluate("document.activeElement.id") == "chat-input", "opening a chat lands in its composer"

    answers = page.get_by_test_id("answer-bubble")
    copy = page.get_by_test_id("copy-answer").nth(1)
    await copy.click()
    await expect(copy).to_have_text("Copied")
    stored = (await http.get(f"/chats/{chat_id}", headers=bearer(token))).json()["messages"]
    assert await page.evaluate("navigator.clipboard.readText()") == stored[3]["content"]
    await expect(copy).to_have_text("Copy", timeout=10_000)
    await expect(page.get_by_test_id("regenerate-answer")).to_have_count(1)  # only on the last answer

    old_answer = await answers.nth(1).get_attribute("data-message-id")
    await page.get_by_test_id("regenerate-answer").click()
    for tab in (page, other):
        await expect(tab.get_by_test_id("answer-bubble")).to_have_count(2)
        await expect(tab.locator(f'[data-message-id="{old_answer}"]')).to_have_count(0)
        await expect(tab.get_by_test_id("answer-bubble").nth(1)).to_have_attribute("data-status", "complete")
    await expect(page.get_by_test_id("user-message").nth(1)).to_have_text("And what about Redis?")

    await other.get_by_test_id("edit-question").first.click()
    await other.get_by_test_id("question-edit-input").fill("What does pgvector add to PostgreSQL?")
    await other.get_by_test_id("question-edit-send").click()
    for tab in (page, other):
        await expect(tab.get_by_test_id("user-message")).to_have_count(1)
        await expect(tab.get_by_test_id("user-message")).to_contain_text("What does pgvector add to PostgreSQL?")
        await expect(tab.get_by_test_id("answer-bubble")).to_have_count(1)
        await expect(tab.get_by_test_id("answer-bubble")).to_have_attribute("data-status", "complete")

    stored_now = await _stored(http, token, chat_id)
    assert await _transcript(page) == stored_now == await _transcript(other)
    await page.reload()
    await expect(page.get_by_test_id("answer-bubble")).to_have_count(1)
    assert await _transcript(page) == stored_now


async def test_a_long_chat_opens_in_the_composer_and_answers_are_one_tab_stop_each(page: Page) -> None:
    await sign_up(page, "keys@example.com")
    await upload_and_wait_ready(page, "guide.md")
    await open_new_chat(page)
    for question in ("What does pgvector add?", "What is an HNSW index?", "What is IVFFlat?", "What is Redis?"):
        answer = await send(page, question)
        await expect(answer).to_have_attribute("data-status", "complete", timeout=30_000)
    await page.reload()
    await expect(page.get_by_test_id("answer-bubble")).to_have_count(4)
    await expect(page.get_by_test_id("chat-input")).to_be_focused()

    stops = await page.evaluate(
        """() => [...document.querySelectorAll('[role="toolbar"][aria-label="Answer actions"]')]
                 .map((bar) => [...bar.querySelectorAll('button')].filter((b) => b.tabIndex >= 0).length)"""
    )
    assert stops == [1, 1, 1, 1]
    toolbar = page.get_by_role("toolbar").last
    await toolbar.get_by_test_id("copy-answer").focus()
    await page.keyboard.press("ArrowRight")
    await expect(toolbar.get_by_test_id("regenerate-answer")).to_be_focused()
    chips = page.get_by_test_id("citation-chip")
    assert await chips.count() > 0, "the answers cite the guide"
    assert await page.evaluate(CHIPS_IN_TAB_ORDER) == 0, "a chip's passage is in the Sources list, one stop each"

    await page.get_by_test_id("skip-to-composer").focus()
    await page.keyboard.press("Enter")
    await expect(page.get_by_test_id("chat-input")).to_be_focused()
