"""Losing the network mid-answer: the browser reconnects, resumes, and shows the answer exactly as stored.

The offline answerer streams a whole answer within milliseconds, too fast to cut reliably, so this test
points the server at the scripted OpenAI-compatible server (a real HTTP server in the test's event loop)
streaming numbered words slowly: any gap or repeat would show in the numbering.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest

from tests.e2e.browser.ui import (
    PASSWORD,
    Page,
    as_rendered,
    expect,
    open_new_chat,
    rendered_answer,
    send,
    sign_in,
)
from tests.support.api import bearer, signed_up, upload, wait_for_status
from tests.support.scripted_llm_server import Reply, ScriptedLLMServer

WORDS = [" Pgvector", " adds", " vector", " similarity", " search", " [1]."] + [f" w{i:02d}" for i in range(1, 61)]
TOKEN_DELAY = 0.04  # ~2.6 s of streaming: ample time to drop the network after the first words


pytestmark = pytest.mark.usefixtures("scripted")  # the test's server talks to the scripted model


@pytest.fixture
def scripted(scripted: ScriptedLLMServer) -> ScriptedLLMServer:
    """It streams numbered words slowly."""
    scripted.script(Reply(tokens=WORDS, token_delay=TOKEN_DELAY, usage=(120, len(WORDS))))
    return scripted


async def test_an_answer_cut_by_going_offline_completes_exactly(page: Page, http: httpx.AsyncClient) -> None:
    user = await signed_up(http, "grace@example.com", PASSWORD)  # logs in over the API: its token reads history
    doc = (
        await upload(
            http, user, "guide.md", b"# Pgvector\n\nPgvector adds vector similarity search.\n", "text/markdown"
        )
    ).json()
    assert (await wait_for_status(http, user, doc["id"]))["status"] == "ready"
    sent: list[list[dict[str, Any]]] = []
    page.on("websocket", lambda ws: ws.on("framesent", _recorder(sent)))

    await sign_in(page, "grace@example.com")
    chat_id = await open_new_chat(page)
    answer = await send(page, "What does pgvector add?")
    await expect(answer).to_contain_text("w02")
    await page.context.set_offline(True)
    await expect(page.get_by_test_id("connection-indicator")).to_have_attribute("data-state", "offline")
    stored = await _completed_answer(http, user, chat_id)  # the rest streams while the browser is away
    partial = await rendered_answer(answer)
    assert "w60" not in partial and await answer.get_attribute("data-status") == "streaming", partial

    await page.context.set_offline(False)
    await expect(answer).to_have_attribute("data-status", "complete", timeout=20_000)
    await expect(page.get_by_test_id("connection-indicator")).to_have_attribute("data-state", "open")
    shown = await rendered_answer(answer)
    assert shown == as_rendered(stored["content"]) == as_rendered("".join(WORDS))
    assert await answer.get_attribute("data-message-id") == stored["id"]
    await expect(answer.get_by_test_id("citation-chip")).to_have_count(1)
    resumes = [f for frames in sent[1:] for f in frames if f.get("type") == "resume"]
    assert len(sent) >= 2 and resumes and resumes[0]["after_seq"] > 0, sent


def _recorder(sockets: list[list[dict[str, Any]]]) -> Any:
    """Collects the frames the page sends on one WebSocket (a new list per socket)."""
    frames: list[dict[str, Any]] = []
    sockets.append(frames)
    return lambda payload: frames.append(json.loads(payload)) if isinstance(payload, str) else None


async def _completed_answer(http: httpx.AsyncClient, user: dict[str, str], chat_id: str) -> dict[str, Any]:
    async with asyncio.timeout(30):
        while True:
            messages = (await http.get(f"/chats/{chat_id}", headers=bearer(user))).json()["messages"]
            if messages and messages[-1]["role"] == "assistant" and messages[-1]["status"] == "complete":
                answer: dict[str, Any] = messages[-1]
                return answer
            await asyncio.sleep(0.1)
