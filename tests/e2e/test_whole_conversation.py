"""Every socket, every reload sees the whole conversation: a client joining mid-answer by ``docs/websocket.md``
alone, questions from one socket shown on another, and a failed turn's error kept in history. A real server
process, real sockets, and a scripted model that streams slowly and can be held mid-answer."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from tests.support.api import bearer, chat_history, signed_up, upload, wait_for_status
from tests.support.conversation_view import apply_until, join
from tests.support.scripted_llm_server import Fail, Reply, ScriptedLLMServer
from tests.support.server_process import ServerProcess

GUIDE = (
    b"# Mail\n\nIMAP keeps mail on the server; port 993 is commonly used by IMAP over TLS.\n\n"
    b"# Sending\n\nSMTP sends mail; submission uses port 587.\n"
)
ANSWER = ["Port", " 993", " is", " used", " by", " IMAP", " [1]", ".", *[f" word{i}" for i in range(30)], " Done."]


@pytest.fixture(scope="module")
def server(module_scripted_server: ServerProcess) -> ServerProcess:
    """One server and model for the module: each test signs up users of its own."""
    return module_scripted_server


async def _chat(http: httpx.AsyncClient, user: dict[str, str], stage: str, title: str | None = "Mail") -> str:
    """A chat with a title of the user's (unless ``title`` is None), so no title job asks the scripted model."""
    body = {"stage": stage} if title is None else {"stage": stage, "title": title}
    created = await http.post("/chats", headers=bearer(user), json=body)
    assert created.status_code == 201, created.text
    return str(created.json()["id"])


async def test_a_socket_joining_mid_answer_ends_with_the_stored_answer_and_citations(
    server: ServerProcess, http: httpx.AsyncClient, scripted: ScriptedLLMServer
) -> None:
    user = await signed_up(http)
    doc = (await upload(http, user, "mail.md", GUIDE, "text/markdown")).json()
    assert (await wait_for_status(http, user, doc["id"]))["status"] == "ready"
    chat_id = await _chat(http, user, "answering")
    held = asyncio.Event()
    scripted.script(Reply(tokens=ANSWER, token_delay=0.02, pause_after=12, resume=held))

    a, a_view = await join(server.ws_url, http, user, chat_id)
    await a.send_message("Which port does IMAP use?")
    answer = (await apply_until(a, a_view, "answer_started"))["message_id"]
    while a.answer_text(answer) != "".join(ANSWER[:12]):  # the model is held after 12 tokens: in flight
        await apply_until(a, a_view, "token")  # (a token frame carries one token or several)
    assert any(f["type"] == "citation" for f in a.frames), "the first citation came before B joins"
    await a.send({"type": "ack", "seq": a.last_seq})  # A has it all: without the pin the log would be trimmed
    await a.send({"type": "ping"})
    await a.until("pong")  # frames of a socket are handled in order: the ack is done

    b, b_view = await join(server.ws_url, http, user, chat_id)
    assert [m["role"] for m in b_view.messages.values()] == ["user"], "history holds no unfinished answer"
    started = await apply_until(b, b_view, "answer_started")
    held.set()
    done = await apply_until(b, b_view, "answer_done")
    await apply_until(a, a_view, "answer_done")
    await a.close()
    await b.close()

    stored = (await chat_history(http, user, chat_id))[-1]
    assert stored["id"] == done["message_id"] == started["message_id"]
    joined = b_view.messages[done["message_id"]]
    assert (joined["content"], joined["citations"], joined["status"]) == (
        stored["content"],
        stored["citations"],
        "complete",
    )
    assert stored["content"] == "".join(ANSWER) and stored["citations"][0]["filename"] == "mail.md"
    assert a_view.messages[done["message_id"]]["content"] == stored["content"]
    assert b.duplicates == 0


async def test_questions_from_one_socket_appear_on_another_once_and_in_order(
    server: ServerProcess, http: httpx.AsyncClient
) -> None:
    user = await signed_up(http)
    chat_id = await _chat(http, user, "test")
    a, a_view = await join(server.ws_url, http, user, chat_id)
    b, b_view = await join(server.ws_url, http, user, chat_id)

    first = await a.send_message("first question")
    await a.send_message("first question", client_msg_id=first)  # a deduplicated re-send
    await apply_until(a, a_view, "answer_done")
    second = await a.send_message("second question")
    await apply_until(a, a_view, "answer_done")
    for _ in range(2):
        await apply_until(b, b_view, "answer_done")
    await a.close()
    await b.close()

    shown = [(q["client_msg_id"], q["content"], q["status"]) for q in b_view.questions()]
    assert shown == [(first, "first question", "complete"), (second, "second question", "complete")]
    stored = [m for m in await chat_history(http, user, chat_id) if m["role"] == "user"]
    assert [q["id"] for q in b_view.questions()] == [q["id"] for q in stored]
    answers = sorted((m for m in b_view.messages.values() if m["role"] == "assistant"), key=lambda m: m["content"])
    assert len(answers) == 2 and all(m["status"] == "complete" and m["content"] for m in answers)


async def test_an_interrupted_turn_keeps_its_error_when_the_chat_is_reopened(
    server: ServerProcess, http: httpx.AsyncClient, scripted: ScriptedLLMServer
) -> None:
    user = await signed_up(http)
    chat_id = await _chat(http, user, "test")
    scripted.script(Fail(500))
    a, a_view = await join(server.ws_url, http, user, chat_id)
    client_msg_id = await a.send_message("Is anyone there?")
    error = await apply_until(a, a_view, "error", client_msg_id=client_msg_id)
    await a.close()

    reopened, view = await join(server.ws_url, http, user, chat_id)
    await reopened.close()
    [question] = view.questions()
    assert (question["status"], question["error"]) == (
        "interrupted",
        {"code": error["code"], "message": error["message"], "retryable": True},
    )
    assert error["code"] == "model_unavailable"
    assert list(a_view.messages) == list(view.messages), "live, the socket showed what a reopened chat shows"
    assert a_view.questions()[0]["error"] == question["error"]


async def test_a_new_chat_is_titled_by_the_model_and_open_sockets_hear_it(
    server: ServerProcess, http: httpx.AsyncClient, scripted: ScriptedLLMServer
) -> None:
    user = await signed_up(http)
    chat_id = await _chat(http, user, "test", title=None)
    a, _ = await join(server.ws_url, http, user, chat_id)
    b, b_view = await join(server.ws_url, http, user, chat_id)
    await a.send_message("Which port does IMAP use?")
    titled = await apply_until(b, b_view, "title_changed")
    await a.close()
    await b.close()

    assert titled["title"] == b_view.title == scripted.title_reply
    assert "Which port does IMAP use?" in str(scripted.title_requests[0]["messages"])
    [chat] = [c for c in (await http.get("/chats", headers=bearer(user))).json()["items"] if c["id"] == chat_id]
    assert chat["title"] == titled["title"]
