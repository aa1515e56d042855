"""``ragchat serve --processes N`` (production mode): N API processes share one port, a child that dies is
replaced, SIGTERM stops them all; embedded mode refuses it (its live chat state lives in one process)."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
from pathlib import Path

import httpx

from tests.e2e.conftest import external_services_env
from tests.support.api import bearer, signed_up
from tests.support.chat_client import ChatClient
from tests.support.processes import children
from tests.support.server_process import RAGCHAT, ServerProcess

DEADLINE = 120.0


def api_children(server: ServerProcess) -> set[int]:
    assert server.pid is not None
    return {child.pid for child in children(server.pid) if "spawn_main" in child.command}


async def until(what: str, check) -> None:  # type: ignore[no-untyped-def]
    deadline = asyncio.get_running_loop().time() + DEADLINE
    while not check():
        assert asyncio.get_running_loop().time() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.2)


def test_embedded_mode_refuses_more_than_one_process(tmp_path: Path) -> None:
    env = {**os.environ, "RAGCHAT_DATA_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    done = subprocess.run([RAGCHAT, "serve", "--processes", "2"], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "needs DATABASE_URL and REDIS_URL" in done.stderr


async def test_two_processes_serve_one_port_a_dead_one_is_replaced_and_sigterm_stops_all(
    pg_url: str, redis_url: str, clean_redis: None, data_dir: Path, tmp_path: Path
) -> None:
    env = external_services_env(pg_url, redis_url, RAGCHAT_DATA_DIR=str(data_dir), RAGCHAT_WEB_PROCESSES="2",
                                RAGCHAT_DRAIN_SECONDS="1")
    server = ServerProcess(env, log_path=tmp_path / "server.log").start(timeout=DEADLINE)
    try:
        await until("two API processes", lambda: len(api_children(server)) == 2)
        first = api_children(server)
        async with httpx.AsyncClient(base_url=server.url, timeout=60) as http:
            user = await signed_up(http)
            chat = (await http.post("/chats", json={}, headers=bearer(user))).json()
            sockets = [ChatClient(server.ws_url, chat["id"], user["access_token"]) for _ in range(4)]
            for client in sockets:
                await client.connect()  # the snapshot arrives: authenticated and served, whichever process took it
            for client in sockets:
                await client.close()

            victim = min(first)
            os.kill(victim, signal.SIGKILL)
            await until("a replacement", lambda: victim not in api_children(server) and len(api_children(server)) == 2)
            for _ in range(10):  # whichever process each connection reaches, it answers
                listed = await http.get("/chats", headers=bearer(user))
                assert listed.status_code == 200 and [c["id"] for c in listed.json()["items"]] == [chat["id"]]

        survivors = api_children(server)
        server.terminate()
        assert server.wait_exit(timeout=DEADLINE) == 0
        assert not any(_alive(pid) for pid in survivors)
    finally:
        server.stop()


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat[stat.rindex(")") + 2] != "Z"
