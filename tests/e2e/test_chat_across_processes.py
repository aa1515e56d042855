"""Production mode (Redis): frames cross server processes, and a Redis restart loses no accepted message."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.e2e.conftest import external_services_env
from tests.support.api import bearer, signed_up
from tests.support.chat_client import ChatClient
from tests.support.server_process import ServerProcess


@pytest.fixture
def redis_servers(
    pg_url: str, redis_url: str, clean_redis: None, data_dir: Path, tmp_path: Path
) -> Iterator[tuple[ServerProcess, ServerProcess]]:
    env = external_services_env(pg_url, redis_url, RAGCHAT_DATA_DIR=str(data_dir))
    a = ServerProcess(env, log_path=tmp_path / "a.log").start()
    b = ServerProcess(env, log_path=tmp_path / "b.log").start()
    yield a, b
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
