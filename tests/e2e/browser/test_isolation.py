"""Two people on one server: the second sees none of the first one's documents, passages or chats."""

from __future__ import annotations

import re

from tests.e2e.browser.conftest import ContextFactory
from tests.e2e.browser.ui import expect, open_new_chat, send, sign_up, upload_and_wait_ready


async def test_a_second_user_sees_nothing_of_the_first(new_context: ContextFactory) -> None:
    alice = await (await new_context()).new_page()
    await sign_up(alice, "alice@example.com")
    await upload_and_wait_ready(alice, "alice-private.md")
    alice_chat = await open_new_chat(alice)
    await expect(await send(alice, "What does pgvector add?")).to_have_attribute("data-status", "complete")

    bob = await (await new_context()).new_page()
    await sign_up(bob, "bob@example.com")
    await expect(bob.get_by_test_id("chat-link")).to_have_count(0)
    await expect(bob.get_by_text("No chats yet.")).to_be_visible()

    await bob.get_by_test_id("nav-documents").click()
    await expect(bob.get_by_text("No documents yet.")).to_be_visible()
    await expect(bob.get_by_test_id("document-row")).to_have_count(0)
    await bob.get_by_test_id("search-input").fill("pgvector vector similarity search")
    await bob.get_by_test_id("search-button").click()
    await expect(bob.get_by_text("No passages match.")).to_be_visible()
    await expect(bob.get_by_test_id("search-result")).to_have_count(0)

    await bob.goto(f"/#/chats/{alice_chat}")
    await expect(bob.get_by_test_id("messages").get_by_role("alert")).to_contain_text(re.compile("not found", re.I))
    await expect(bob.get_by_test_id("user-message")).to_have_count(0)
    await expect(bob.get_by_test_id("answer-bubble")).to_have_count(0)
    await expect(bob.get_by_test_id("chat-input")).to_have_count(0)
    await expect(bob.get_by_test_id("back-to-chats")).to_be_visible()
    assert "pgvector" not in (await bob.locator("body").inner_text()).lower()

    await alice.reload()  # the first person still has everything
    await expect(alice.get_by_test_id("answer-bubble")).to_have_attribute("data-status", "complete")
    await alice.get_by_test_id("nav-documents").click()
    await expect(alice.get_by_test_id("document-row")).to_have_count(1)
