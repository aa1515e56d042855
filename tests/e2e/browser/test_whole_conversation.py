"""Every tab, every reload sees the whole conversation, in Chromium against a real server and a scripted model
that streams slowly and can be held mid-answer: a reload mid-answer shows the whole answer; two tabs show the
question and the answer; a chat link opens in a new tab without signing in; a failed turn keeps its error and
Retry after a reopen; the sidebar shows the title generated from the first question."""

from __future__ import annotations

import asyncio

import pytest

from tests.e2e.browser.ui import Page, expect, open_new_chat, send, sign_up
from tests.support.scripted_llm_server import Fail, Reply, ScriptedLLMServer
from tests.support.server_process import ServerProcess

WORDS = ["IMAP", " uses", " port", " 993", " over", " TLS."] + [f" w{i:02d}" for i in range(1, 31)]
TITLE = "IMAP port numbers"


@pytest.fixture(scope="module")
def module_scripted(module_scripted: ScriptedLLMServer) -> ScriptedLLMServer:
    module_scripted.title_reply = TITLE
    return module_scripted


@pytest.fixture(scope="module")
def server(module_scripted_server: ServerProcess) -> ServerProcess:
    """One server and model for the module: each test signs up users of its own."""
    return module_scripted_server


def _email(name: str) -> str:
    return f"{name}-{id(name) % 10_000}@example.com"


async def _text(page: Page, testid: str, index: int = 0) -> str:
    return " ".join((await page.get_by_test_id(testid).nth(index).inner_text()).split())


async def test_a_reload_mid_answer_shows_the_whole_answer(page: Page, scripted: ScriptedLLMServer) -> None:
    held = asyncio.Event()
    scripted.script(Reply(tokens=WORDS, token_delay=0.02, pause_after=8, resume=held))
    await sign_up(page, _email("reload"))
    await open_new_chat(page)
    answer = await send(page, "Which port does IMAP use?")
    await expect(answer).to_contain_text("w02")  # the model is held after eight words

    await page.reload()
    answer = page.get_by_test_id("answer-bubble").first
    await expect(answer).to_contain_text("IMAP uses port 993")  # from its first word, not only the tail
    await expect(answer).to_have_attribute("data-status", "streaming")
    held.set()
    await expect(answer).to_have_attribute("data-status", "complete", timeout=20_000)
    assert await _text(page, "answer-bubble") == "".join(WORDS).strip()
    await expect(page.get_by_test_id("user-message")).to_have_count(1)


async def test_two_tabs_show_the_question_and_the_answer(page: Page) -> None:
    await sign_up(page, _email("tabs"))
    await open_new_chat(page)
    second = await page.context.new_page()
    await second.goto(page.url)
    await expect(second.get_by_test_id("connection-indicator")).to_have_attribute("data-state", "open")

    await send(page, "Which port does IMAP use?")
    for tab in (page, second):
        await expect(tab.get_by_test_id("user-message")).to_have_count(1)
        await expect(tab.get_by_test_id("user-message")).to_have_text("Which port does IMAP use?")
        await expect(tab.get_by_test_id("answer-bubble")).to_have_attribute("data-status", "complete")
    assert (
        await _text(second, "answer-bubble") == await _text(page, "answer-bubble") == "Hello from the scripted server."
    )


async def test_a_chat_link_opens_in_a_new_tab_without_signing_in(page: Page) -> None:
    email = _email("link")
    await sign_up(page, email)
    chat_id = await open_new_chat(page)
    tab = await page.context.new_page()
    await tab.goto(f"/#/chats/{chat_id}")
    await expect(tab.get_by_test_id("account-email")).to_have_text(email)
    await expect(tab.get_by_test_id("connection-indicator")).to_have_attribute("data-state", "open")
    assert await tab.evaluate("() => sessionStorage.length + localStorage.length") == 0, "no token in web storage"


async def test_with_the_model_down_a_reopened_chat_keeps_the_error_and_retry(
    page: Page, scripted: ScriptedLLMServer
) -> None:
    scripted.script(Fail(500))
    await sign_up(page, _email("down"))
    await open_new_chat(page)
    await send(page, "Is anyone there?")
    await expect(page.get_by_test_id("question-error")).to_be_visible()
    live = await _text(page, "question-error")

    await page.reload()
    await expect(page.get_by_test_id("question-error")).to_be_visible()
    assert await _text(page, "question-error") == live
    await page.get_by_test_id("retry-question").click()  # the model is back: the same question is answered
    await expect(page.get_by_test_id("answer-bubble")).to_have_attribute("data-status", "complete")
    await expect(page.get_by_test_id("question-error")).to_have_count(0)
    await expect(page.get_by_test_id("user-message")).to_have_count(1)


async def test_the_sidebar_shows_the_generated_title(page: Page) -> None:
    await sign_up(page, _email("title"))
    chat_id = await open_new_chat(page)
    link = page.locator(f'[data-testid="chat-link"][data-chat-id="{chat_id}"]')
    await expect(link).to_contain_text("New chat")
    await send(page, "Which port does IMAP use?")
    await expect(link).to_contain_text(TITLE)
    await page.reload()
    await expect(link).to_contain_text(TITLE)
