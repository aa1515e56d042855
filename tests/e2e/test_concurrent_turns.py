"""Many answers at once in one API process: a real `ragchat serve`, real sockets, and a real streaming model
server (the scripted OpenAI-compatible one). Correctness, not speed: every question is answered, none fails
with ``storage_unavailable``, HTTP requests made meanwhile all succeed, and no connection sits idle in a
transaction while the model streams.

The pool is deliberately small (5 connections, no overflow) and the turn limit (20) below the number of
questions, so answers queue for a slot instead of for a connection: a turn that held its connection across
the stream would exhaust the pool and fail the questions behind it.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from tests.support.api import bearer, signed_up
from tests.support.chat_client import ChatClient
from tests.support.scripted_llm_server import Reply, ScriptedLLMServer
from tests.support.server_process import ServerProcess

ANSWERS = 60
USERS = 4
TURN_LIMIT = 20
TOKENS = [f" word{i}" for i in range(20)]
TOKEN_DELAY = 0.1  # each answer streams for about 2 s

STALE_TRANSACTIONS = text(
    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'ragchat' "
    "AND state LIKE 'idle in transaction%' AND now() - state_change > interval '1 second'"
)


@pytest.fixture
async def model() -> AsyncIterator[ScriptedLLMServer]:
    async with ScriptedLLMServer() as server:
        server.script(*[Reply(tokens=TOKENS, token_delay=TOKEN_DELAY) for _ in range(ANSWERS)])
        yield server


@pytest.fixture
def server_env(server_env: dict[str, str], model: ScriptedLLMServer) -> dict[str, str]:
    return {
        **server_env,
        "RAGCHAT_LLM_BASE_URL": model.base_url,
        "RAGCHAT_LLM_MODEL": "scripted-model",
        "RAGCHAT_DB_POOL_SIZE": "5",
        "RAGCHAT_DB_MAX_OVERFLOW": "0",
        "RAGCHAT_DB_POOL_TIMEOUT_SECONDS": "10",
        "RAGCHAT_TURN_CONCURRENCY": str(TURN_LIMIT),
        "RAGCHAT_WS_MESSAGES_PER_SECOND": "1000",
        "RAGCHAT_WS_MESSAGE_BURST": "1000",
    }


async def _ask(server: ServerProcess, http: httpx.AsyncClient, user: dict[str, str], n: int) -> dict[str, object]:
    created = await http.post("/chats", headers=bearer(user), json={"title": f"chat {n}", "stage": "test"})
    assert created.status_code == 201, created.text
    client = ChatClient(server.ws_url, created.json()["id"], user["access_token"])
    await client.connect()
    try:
        await client.send_message(f"Question {n}?")
        while (frame := await client.receive(timeout=120))["type"] not in ("answer_done", "error"):
            pass
        return frame
    finally:
        await client.close()


async def _probe(http: httpx.AsyncClient, user: dict[str, str], stop: asyncio.Event) -> list[int]:
    statuses = []
    while not stop.is_set():
        statuses.append((await http.get("/documents", headers=bearer(user))).status_code)
        await asyncio.sleep(0.1)
    return statuses


async def test_sixty_concurrent_answers_all_complete_and_http_stays_up(
    server: ServerProcess, http: httpx.AsyncClient, model: ScriptedLLMServer, pg_url: str
) -> None:
    users = await asyncio.gather(*(signed_up(http) for _ in range(USERS)))
    stop = asyncio.Event()
    probe = asyncio.create_task(_probe(http, users[0], stop))
    answers = asyncio.gather(*(_ask(server, http, users[n % USERS], n) for n in range(ANSWERS)))

    async with asyncio.timeout(120):
        await model.wait_for_requests(TURN_LIMIT)  # a full set of turns is streaming now
    engine = create_async_engine(pg_url, pool_size=1)
    try:
        async with engine.connect() as connection:
            stale = await connection.scalar(STALE_TRANSACTIONS)
    finally:
        await engine.dispose()

    frames = await answers
    stop.set()
    statuses = await probe
    assert [f["type"] for f in frames] == ["answer_done"] * ANSWERS, [f for f in frames if f["type"] == "error"]
    assert len(model.requests) == ANSWERS  # each question reached the model once
    assert stale == 0, "a connection stayed idle in a transaction while answers streamed"
    assert statuses and set(statuses) == {200}, statuses
