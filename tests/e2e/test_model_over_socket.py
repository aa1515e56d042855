"""The model adapter through the whole stack: a real `ragchat serve` process, its WebSocket, and an
OpenAI-compatible model server over real HTTP — llama.cpp serving Gemma 3 270M for the happy path, the scripted
fault-injecting server for the breaker and a stream cut mid-answer.

Each class overrides ``server_env`` (from ``tests/e2e/conftest.py``) to point the server at its model.
"""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from tests.support.api import bearer, chat_history, signed_up, upload, wait_for_status
from tests.support.chat_client import ChatClient
from tests.support.scripted_llm_server import DEFAULT_TOKENS, Cut, Fail, ScriptedLLMServer
from tests.support.server_process import ServerProcess

GUIDE = (
    b"# Cats\n\nAdult cats sleep between twelve and sixteen hours a day. Kittens and old cats sleep even more.\n\n"
    b"# Activity\n\nCats are crepuscular: they are most active at dawn and at dusk.\n"
)


async def _chat(http: httpx.AsyncClient, user: dict[str, str], stage: str = "answering") -> str:
    created = await http.post("/chats", headers=bearer(user), json={"title": "Model", "stage": stage})
    assert created.status_code == 201, created.text
    return str(created.json()["id"])


async def _history_once_settled(
    http: httpx.AsyncClient, user: dict[str, str], chat_id: str, wait_seconds: float = 10.0
) -> list[dict[str, Any]]:
    """The history once no message is ``pending``. The turn's ``error`` frame is sent before the turn's
    statuses are committed (see ``test_a_resend_right_after_the_error_frame_is_answered``), so poll, bounded."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + wait_seconds
    while True:
        history = await chat_history(http, user, chat_id)
        if all(m["status"] != "pending" for m in history):
            return history
        assert loop.time() < deadline, f"a message stayed pending: {history}"
        await asyncio.sleep(0.05)


async def _usage_once_recorded(http: httpx.AsyncClient, user: dict[str, str], wait_seconds: float = 30.0) -> Any:
    """Usage is written by a background job after the turn: poll until it shows up (bounded, never blind)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + wait_seconds
    while True:
        usage = (await http.get("/me/usage", headers=bearer(user))).json()
        if usage["total"]["total_tokens"] > 0:
            return usage
        assert loop.time() < deadline, f"no token usage recorded: {usage}"
        await asyncio.sleep(0.1)


async def _model_detail(http: httpx.AsyncClient) -> str:
    checks = (await http.get("/ready")).json()["checks"]
    return str(next(c["detail"] for c in checks if c["name"] == "model"))


@pytest.fixture(scope="module")
def module_server_env(module_server_env: dict[str, str], llama_server: str) -> dict[str, str]:
    """The llama.cpp tests' server (the scripted ones have a server per test)."""
    return {
        **module_server_env,
        "RAGCHAT_LLM_BASE_URL": llama_server,
        "RAGCHAT_LLM_MODEL": "gemma-3-270m",
        "RAGCHAT_LLM_MERGE_SYSTEM_PROMPT": "true",
        "RAGCHAT_LLM_MAX_ANSWER_TOKENS": "48",
        "RAGCHAT_LLM_FIRST_TOKEN_TIMEOUT_SECONDS": "120",
    }


@pytest.mark.llm_server
class TestAgainstLlamaCpp:
    @pytest.fixture(scope="class")
    @classmethod
    def server(cls, module_server: ServerProcess) -> ServerProcess:
        """One server for the class: each test signs up users of its own."""
        return module_server

    async def test_an_answer_streams_from_the_real_model_and_its_usage_is_recorded(
        self, server: ServerProcess, http: httpx.AsyncClient
    ) -> None:
        user = await signed_up(http)
        doc = (await upload(http, user, "cats.md", GUIDE, "text/markdown")).json()
        assert (await wait_for_status(http, user, doc["id"]))["status"] == "ready"
        chat_id = await _chat(http, user)
        client = ChatClient(server.ws_url, chat_id, user["access_token"])
        await client.connect()
        client_msg_id = await client.send_message("How long do cats sleep each day?")
        done = await client.until("answer_done", timeout=180)
        await client.close()

        kinds = [f["type"] for f in client.frames]
        assert kinds[0] == "accepted" and client.frames[0]["client_msg_id"] == client_msg_id
        assert kinds[-1] == "answer_done" and "error" not in kinds
        answer = client.answer_text(done["message_id"])
        assert answer.strip() and kinds.count("token") >= 2
        assert done["usage"]["prompt_tokens"] > 0 and done["usage"]["completion_tokens"] > 0

        history = await chat_history(http, user, chat_id)
        assert [(m["role"], m["status"]) for m in history] == [("user", "complete"), ("assistant", "complete")]
        assert history[1]["id"] == done["message_id"] and history[1]["content"] == answer
        cited = [f["citation"]["chunk_id"] for f in client.frames if f["type"] == "citation"]
        assert [c["chunk_id"] for c in history[1]["citations"]] == cited

        usage = await _usage_once_recorded(http, user)
        assert usage["total"]["prompt_tokens"] == done["usage"]["prompt_tokens"]
        assert usage["total"]["completion_tokens"] == done["usage"]["completion_tokens"]
        assert [c["chat_id"] for c in usage["chats"]] == [chat_id]

    async def test_a_test_stage_turn_chats_freely_with_the_real_model(
        self, server: ServerProcess, http: httpx.AsyncClient
    ) -> None:
        user = await signed_up(http)
        chat_id = await _chat(http, user, stage="test")
        client = ChatClient(server.ws_url, chat_id, user["access_token"])
        await client.connect()
        await client.send_message("Say hello in one short sentence.")
        done = await client.until("answer_done", timeout=180)
        await client.close()

        answer = client.answer_text(done["message_id"])
        assert answer.strip()
        assert not [f for f in client.frames if f["type"] in ("citation", "error")]
        assert done["usage"]["completion_tokens"] > 0
        history = await chat_history(http, user, chat_id)
        assert history[-1]["content"] == answer and history[-1]["status"] == "complete"


class TestAgainstTheScriptedServer:
    @pytest.fixture
    def server_env(self, server_env: dict[str, str]) -> dict[str, str]:
        """A server per test (the scripted model comes with ``scripted``): the breaker opened by one test stays
        open."""
        return {
            **server_env,
            "RAGCHAT_LLM_BREAKER_FAILURE_THRESHOLD": "2",
            "RAGCHAT_LLM_BREAKER_COOL_DOWN_SECONDS": "3600",  # stays open for the whole test
        }

    async def test_failures_open_the_breaker_and_the_next_turn_fails_without_calling_the_model(
        self, server: ServerProcess, http: httpx.AsyncClient, scripted: ScriptedLLMServer
    ) -> None:
        user = await signed_up(http)
        chat_id = await _chat(http, user, stage="test")
        client = ChatClient(server.ws_url, chat_id, user["access_token"])
        await client.connect()
        assert await _model_detail(http) == "available"
        scripted.script(Fail(500), Fail(500))

        errors = []
        for text in ("first", "second", "third"):
            client_msg_id = await client.send_message(text)
            errors.append(await client.until("error", client_msg_id=client_msg_id))
        await client.close()

        assert len(scripted.requests) == 2  # the third turn never reached the model
        assert [(e["code"], e["retryable"]) for e in errors] == [("model_unavailable", True)] * 3
        assert await _model_detail(http) == "unavailable"
        history = await chat_history(http, user, chat_id)
        assert [(m["role"], m["status"]) for m in history] == [("user", "interrupted")] * 3

    async def test_a_cut_after_tokens_interrupts_the_turn_and_a_resend_completes_it_once(
        self, server: ServerProcess, http: httpx.AsyncClient, scripted: ScriptedLLMServer
    ) -> None:
        user, chat_id, client, client_msg_id = await _cut_mid_answer(server, http, scripted)
        error = await client.until("error", client_msg_id=client_msg_id)
        assert error["code"] == "model_interrupted" and error["retryable"] is True
        partial_id = error["message_id"]
        assert client.answer_text(partial_id) == "Partial answer"
        history = await _history_once_settled(http, user, chat_id)
        assert [(m["role"], m["status"], m["content"]) for m in history] == [
            ("user", "interrupted", "Tell me something."),
            ("assistant", "interrupted", "Partial answer"),
        ]

        await client.send_message("Tell me something.", client_msg_id=client_msg_id)
        done = await client.until("answer_done")
        await client.close()

        answer = client.answer_text(done["message_id"])
        assert answer == "".join(DEFAULT_TOKENS)
        assert [f["message_id"] for f in client.frames if f["type"] == "accepted"] == [history[0]["id"]] * 2
        assert len(scripted.requests) == 2
        history = await chat_history(http, user, chat_id)
        assert [(m["role"], m["status"]) for m in history] == [
            ("user", "complete"),
            ("assistant", "interrupted"),
            ("assistant", "complete"),
        ]
        assert history[2]["id"] == done["message_id"] and history[2]["content"] == answer
        assert history[2]["reply_to"] == history[0]["id"]

    async def test_a_resend_right_after_the_error_frame_is_answered(
        self, server: ServerProcess, http: httpx.AsyncClient, scripted: ScriptedLLMServer
    ) -> None:
        """What a client does: retry as soon as it sees the retryable error, without reading the history."""
        _user, _chat_id, client, client_msg_id = await _cut_mid_answer(server, http, scripted)
        assert (await client.until("error", client_msg_id=client_msg_id))["code"] == "model_interrupted"
        await client.send_message("Tell me something.", client_msg_id=client_msg_id)
        # Well before the sweeper could pick the question up (unanswered for 30 s, swept every 60 s): the re-send
        # itself queued it, yet a busy machine gets more than a few seconds.
        done = await client.until("answer_done", timeout=25)
        await client.close()

        assert client.answer_text(done["message_id"]) == "".join(DEFAULT_TOKENS)


async def _cut_mid_answer(
    server: ServerProcess, http: httpx.AsyncClient, scripted: ScriptedLLMServer
) -> tuple[dict[str, str], str, ChatClient, str]:
    """A user asks in a test-stage chat and the model's stream is cut after two tokens."""
    user = await signed_up(http)
    chat_id = await _chat(http, user, stage="test")
    client = ChatClient(server.ws_url, chat_id, user["access_token"])
    await client.connect()
    scripted.script(Cut(tokens=["Partial", " answer"]))
    return user, chat_id, client, await client.send_message("Tell me something.")
