"""Chat settings in the header: the person picks a model the provider lists, writes instructions and a
temperature, and the next answer's request to the (scripted) model server carries all three."""

from __future__ import annotations

import pytest

from tests.e2e.browser.ui import Page, expect, open_new_chat, send, sign_up
from tests.support.scripted_llm_server import DEFAULT_TOKENS, ScriptedLLMServer


@pytest.fixture
def scripted(scripted: ScriptedLLMServer) -> ScriptedLLMServer:
    scripted.models = ["scripted-model", "scripted-large"]
    return scripted


async def test_settings_chosen_in_the_header_reach_the_model(page: Page, scripted: ScriptedLLMServer) -> None:
    await sign_up(page, "grace@example.com")
    await open_new_chat(page)
    summary = page.get_by_test_id("chat-settings")
    await expect(summary).to_have_text("scripted-model")

    await summary.click()
    dialog = page.get_by_test_id("settings-dialog")
    await dialog.get_by_test_id("settings-model").select_option("scripted-large")
    await dialog.get_by_test_id("settings-instructions").fill("Answer like a pirate.")
    await dialog.get_by_test_id("settings-temperature").fill("3")
    await dialog.get_by_test_id("save-settings").click()
    await expect(dialog.get_by_test_id("settings-error")).to_contain_text("from 0 to 2")
    await dialog.get_by_test_id("settings-temperature").fill("0.4")
    await dialog.get_by_test_id("save-settings").click()
    await expect(dialog).to_be_hidden()
    await expect(summary).to_have_text("scripted-large · temperature 0.4 · instructions")

    answer = await send(page, "Say hello.")
    await expect(answer).to_have_attribute("data-status", "complete", timeout=30_000)
    await expect(answer).to_contain_text("".join(DEFAULT_TOKENS))

    (sent,) = scripted.requests
    assert (sent["model"], sent["temperature"]) == ("scripted-large", 0.4)
    assert "Answer like a pirate." in sent["messages"][0]["content"]

    await page.reload()  # stored on the chat, not only in the page
    await expect(page.get_by_test_id("chat-settings")).to_have_text("scripted-large · temperature 0.4 · instructions")
