"""Regenerate and edit-and-resend over real sockets: every open tab ends with the transcript a reload shows,
replayed frames start no second turn, and an edit stops the answer it makes pointless. A real server process and
a scripted model that can be held mid-answer."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from tests.support.api import bearer, chat_history, signed_up
from tests.support.chat_client import ChatClient
from tests.support.conversation_view import ConversationView, apply_until, join
from tests.support.scripted_llm_server import Reply, ScriptedLLMServer
from tests.support.server_process import ServerProcess

SLOW = [f" word{i}" for i in range(40)]


@pytest.fixture(scope="module")
def server(module_scripted_server: ServerProcess) -> ServerProcess:
    """One server and model for the module: each test signs up users of its own."""
    return module_scripted_server


async def _chat(http: httpx.AsyncClient, user: dict[str, str]) -> str:
    created = await http.post("/chats", headers=bearer(user), json={"stage": "test", "title": "Edits"})
    assert created.status_code == 201, created.text
    return str(created.json()["id"])


async def _answered(tabs: list[tuple[ChatClient, ConversationView]], question_id: str) -> None:
    for client, view in tabs:
        await apply_until(client, view, "answer_done", reply_to=question_id)


async def _transcript(messages: Any) -> list[tuple[str, str, str, str]]:
    return sorted((m["id"], m["role"], m["content"], m["status"]) for m in messages)


async def _ask(a: ChatClient, a_view: ConversationView, text: str) -> str:
    client_msg_id = await a.send_message(text)
    return str((await apply_until(a, a_view, "accepted", client_msg_id=client_msg_id))["message_id"])


async def test_regenerate_and_edit_reach_every_tab_once_and_match_a_reload(
    server: ServerProcess, http: httpx.AsyncClient, scripted: ScriptedLLMServer
) -> None:
    user = await signed_up(http)
    chat_id = await _chat(http, user)
    a, a_view = await join(server.ws_url, http, user, chat_id)
    b, b_view = await join(server.ws_url, http, user, chat_id)
    tabs = [(a, a_view), (b, b_view)]

    q1 = await _ask(a, a_view, "first question")
    await _answered(tabs, q1)
    q2 = await _ask(a, a_view, "second question")
    await _answered(tabs, q2)

    regenerate = {"type": "regenerate", "client_msg_id": "regen-1", "message_id": q2}
    await b.send(regenerate)
    redo = (await apply_until(b, b_view, "accepted", client_msg_id="regen-1"))["message_id"]
    await _answered(tabs, redo)
    assert q2 not in a_view.messages and q2 not in b_view.messages

    await b.close()  # the tab drops and replays the frame it is not sure about
    await b.connect()
    await b.send(regenerate)
    assert (await apply_until(b, b_view, "accepted", client_msg_id="regen-1"))["message_id"] == redo

    edit = {"type": "edit", "client_msg_id": "edit-1", "message_id": q1, "text": "first question, edited"}
    await a.send(edit)
    edited = (await apply_until(a, a_view, "accepted", client_msg_id="edit-1"))["message_id"]
    await _answered(tabs, edited)
    await a.send(edit)  # replayed: accepted again, no second turn
    await apply_until(a, a_view, "accepted", client_msg_id="edit-1")
    q3 = await _ask(a, a_view, "third question")  # turns run in order: a second one would come before this
    await _answered(tabs, q3)

    c, c_view = await join(server.ws_url, http, user, chat_id)  # a tab opened now, or a reload
    await c.close()
    await a.close()
    await b.close()
    stored = await chat_history(http, user, chat_id)
    assert [(m["role"], m["content"] if m["role"] == "user" else m["reply_to"]) for m in stored] == [
        ("user", "first question, edited"),
        ("assistant", edited),
        ("user", "third question"),
        ("assistant", q3),
    ]
    for view in (a_view, b_view, c_view):
        assert await _transcript(view.messages.values()) == await _transcript(stored)
    assert a.duplicates == 0 and b.duplicates == 0
    prompt = " ".join(str(m["content"]) for m in scripted.requests[-1]["messages"])
    assert "first question, edited" in prompt and "second question" not in prompt, "replaced turns leave prompts"


async def test_an_edit_stops_the_answer_it_replaces_and_every_tab_agrees(
    server: ServerProcess, http: httpx.AsyncClient, scripted: ScriptedLLMServer
) -> None:
    user = await signed_up(http)
    chat_id = await _chat(http, user)
    held = asyncio.Event()
    scripted.script(Reply(tokens=SLOW, pause_after=5, resume=held))
    a, a_view = await join(server.ws_url, http, user, chat_id)
    b, b_view = await join(server.ws_url, http, user, chat_id)

    q1 = await _ask(a, a_view, "a question that takes long")
    started = await apply_until(a, a_view, "answer_started")
    while a_view.messages[started["message_id"]]["content"] != "".join(SLOW[:5]):  # tokens come coalesced
        await apply_until(a, a_view, "token")
    await b.send({"type": "edit", "client_msg_id": "edit-1", "message_id": q1, "text": "a shorter question"})
    edited = (await apply_until(b, b_view, "accepted", client_msg_id="edit-1"))["message_id"]
    held.set()  # the held stream goes on; the stop takes effect at its next token
    stopped = await apply_until(a, a_view, "error")
    assert stopped["code"] == "stopped"
    await _answered([(a, a_view), (b, b_view)], edited)

    c, c_view = await join(server.ws_url, http, user, chat_id)
    await c.close()
    await a.close()
    await b.close()
    stored = await chat_history(http, user, chat_id)
    assert [(m["role"], m["content"], m["status"]) for m in stored] == [
        ("user", "a shorter question", "complete"),
        ("assistant", "Hello from the scripted server.", "complete"),
    ]
    for view in (a_view, b_view, c_view):
        assert await _transcript(view.messages.values()) == await _transcript(stored)
