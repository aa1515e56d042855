"""Production mode (Redis): frames cross server processes, and a Redis restart loses no accepted message."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest

from tests.e2e.conftest import external_services_env
from tests.support.api import bearer, signed_up
from tests.support.chat_client import ChatClient
from tests.support.redis_server import RedisServer
from tests.support.scripted_llm_server import Reply, ScriptedLLMServer
from tests.support.server_process import ServerProcess, WorkerProcess


@pytest.fixture
def redis_servers(
    pg_url: str, redis_url: str, clean_redis: None, data_dir: Path, tmp_path: Path
) -> Iterator[tuple[ServerProcess, ServerProcess]]:
    env = external_services_env(pg_url, redis_url, RAGCHAT_DATA_DIR=str(data_dir))
    a = ServerProcess(env, log_path=tmp_path / "a.log").launch()
    b = ServerProcess(env, log_path=tmp_path / "b.log").launch()
    yield a.wait_ready(), b.wait_ready()
    a.stop()
    b.stop()


async def test_a_socket_on_b_receives_frames_produced_on_a(redis_servers: tuple[ServerProcess, ServerProcess]) -> None:
    a, b = redis_servers
    async with httpx.AsyncClient(base_url=a.url, timeout=30) as http:
        user = await signed_up(http)
        chat = (await http.post("/chats", headers=bearer(user), json={"stage": "test"})).json()
    on_a = ChatClient(a.ws_url, chat["id"], user["access_token"])
    on_b = ChatClient(b.ws_url, chat["id"], user["access_token"])
    await on_a.connect()
    await on_b.connect()
    client_msg_id = await on_a.send_message("hello from A")
    done_on_b = await on_b.until("answer_done")
    done_on_a = await on_a.until("answer_done")
    assert done_on_b["message_id"] == done_on_a["message_id"]
    assert [f["seq"] for f in on_b.frames] == [f["seq"] for f in on_a.frames]
    assert on_b.frames[0]["type"] == "accepted" and on_b.frames[0]["client_msg_id"] == client_msg_id
    assert on_b.answer_text(done_on_b["message_id"]) == on_a.answer_text(done_on_a["message_id"]) != ""

    # B's socket drops; A keeps producing; B resumes on A (any replica) and gets exactly what it missed.
    await on_b.close()
    await on_a.send_message("second question")
    second = await on_a.until("answer_done")
    moved = ChatClient(a.ws_url, chat["id"], user["access_token"])
    moved.last_seq, moved.epoch = on_b.last_seq, on_b.epoch
    await moved.connect()
    got = await moved.until("answer_done")
    assert got["message_id"] == second["message_id"] and moved.duplicates == 0
    assert moved.answer_text(second["message_id"]) == on_a.answer_text(second["message_id"])
    await on_a.close()
    await moved.close()


@pytest.fixture
async def slow_llm() -> AsyncIterator[ScriptedLLMServer]:
    async with ScriptedLLMServer() as llm:
        yield llm


async def test_redis_restarted_mid_turn_loses_no_accepted_message(
    pg_url: str,
    redis_server: RedisServer,
    clean_redis: None,
    data_dir: Path,
    tmp_path: Path,
    slow_llm: ScriptedLLMServer,
) -> None:
    slow_llm.script(Reply(tokens=[f" w{i:02d}" for i in range(60)], token_delay=0.05))
    env = external_services_env(
        pg_url,
        redis_server.url,
        RAGCHAT_DATA_DIR=str(data_dir),
        RAGCHAT_LLM_BASE_URL=slow_llm.base_url,
        RAGCHAT_LLM_MODEL="scripted",
        RAGCHAT_SWEEP_INTERVAL_SECONDS="1",
        RAGCHAT_STUCK_AFTER_SECONDS="2",
        RAGCHAT_UNANSWERED_AFTER_SECONDS="2",
    )
    api = ServerProcess(env, log_path=tmp_path / "api.log").start()
    worker = WorkerProcess(env, log_path=tmp_path / "worker.log").start()
    try:
        async with httpx.AsyncClient(base_url=api.url, timeout=30) as http:
            user = await signed_up(http)
            chat = (await http.post("/chats", headers=bearer(user), json={"stage": "test"})).json()
            client = ChatClient(api.ws_url, chat["id"], user["access_token"])
            first_snapshot = await client.connect()
            client_msg_id = await client.send_message("tell me a long story")
            await client.until("accepted")
            await client.until("token")
            redis_server.restart()  # mid-turn: the inbox, the delivery log and the lock are all gone
            await client.close()

            answered = await _wait_answered(http, user, chat["id"], client_msg_id)
            assert answered["status"] == "complete"
            messages = (await http.get(f"/chats/{chat['id']}", headers=bearer(user))).json()["messages"]
            assert [m["role"] for m in messages if m["status"] == "complete"] == ["user", "assistant"]

            # The lost log is announced: a reconnecting client sees a new epoch and reloads history over HTTP.
            again = ChatClient(api.ws_url, chat["id"], user["access_token"])
            snapshot = await again.connect(resume=False)
            assert snapshot["epoch"] != first_snapshot["epoch"]
            await again.close()
    finally:
        worker.stop()
        api.stop()


async def _wait_answered(
    http: httpx.AsyncClient, user: dict[str, str], chat_id: str, client_msg_id: str, wait_seconds: float = 90.0
) -> dict[str, object]:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + wait_seconds
    while True:
        messages = (await http.get(f"/chats/{chat_id}", headers=bearer(user))).json()["messages"]
        [question] = [m for m in messages if m["client_msg_id"] == client_msg_id]
        if question["status"] == "complete":
            return dict(question)
        assert loop.time() < deadline, f"the accepted message was never answered: {messages}"
        await asyncio.sleep(0.25)
