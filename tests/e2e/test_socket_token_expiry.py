"""An open chat socket ends when its access token expires (4401), and a fresh token resumes without loss."""

from __future__ import annotations

import httpx
import pytest
import websockets

from tests.support.api import bearer, signed_up
from tests.support.chat_client import ChatClient
from tests.support.server_process import ServerProcess


@pytest.fixture
def server_env(server_env: dict[str, str]) -> dict[str, str]:
    return {**server_env, "RAGCHAT_ACCESS_TOKEN_TTL_SECONDS": "3"}


async def test_expired_token_closes_with_4401_and_a_refreshed_one_resumes(
    server: ServerProcess, http: httpx.AsyncClient
) -> None:
    user = await signed_up(http)
    chat = (await http.post("/chats", headers=bearer(user), json={"stage": "test"})).json()
    client = ChatClient(server.ws_url, chat["id"], user["access_token"])
    await client.connect()
    await client.send_message("hello")
    await client.until("answer_done")
    with pytest.raises(websockets.ConnectionClosed) as closed:
        while True:
            await client.receive(timeout=10)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4401

    refreshed = (await http.post("/auth/refresh", json={"refresh_token": user["refresh_token"]})).json()
    client.token = refreshed["access_token"]
    await client.connect()
    await client.send({"type": "ping"})
    assert (await client.receive())["type"] == "pong"
    assert client.duplicates == 0
    await client.close()
