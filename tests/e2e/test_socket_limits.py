"""Chat socket limits on a real server: a per-user socket cap (4429, freed when a socket closes), an
authentication deadline (4408), and an Origin check that compares the scheme as well as the host."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest
import websockets

from tests.support.api import bearer, signed_up
from tests.support.chat_client import ChatClient
from tests.support.server_process import ServerProcess

MAX_SOCKETS = 3


@pytest.fixture(scope="module")
def module_server_env(module_server_env: dict[str, str]) -> dict[str, str]:
    return {
        **module_server_env,
        "RAGCHAT_WS_MAX_SOCKETS_PER_USER": str(MAX_SOCKETS),
        "RAGCHAT_WS_AUTH_TIMEOUT_SECONDS": "1",
        "RAGCHAT_ALLOWED_ORIGINS": "https://app.example",
    }


@pytest.fixture(scope="module")
def server(module_server: ServerProcess) -> ServerProcess:
    """One server for the module: each test signs up users of its own."""
    return module_server


async def _closed_with(socket: websockets.ClientConnection) -> int | None:
    with pytest.raises(websockets.ConnectionClosed) as closed:
        while True:
            await asyncio.wait_for(socket.recv(), 30)
    return closed.value.rcvd.code if closed.value.rcvd else None


async def test_a_user_holds_at_most_the_cap_of_sockets(server: ServerProcess, http: httpx.AsyncClient) -> None:
    user = await signed_up(http)
    chat = (await http.post("/chats", json={}, headers=bearer(user))).json()
    held = [ChatClient(server.ws_url, chat["id"], user["access_token"]) for _ in range(MAX_SOCKETS)]
    for client in held:
        await client.connect()
    extra = await websockets.connect(f"{server.ws_url}/chat/ws?chat_id={chat['id']}")
    await extra.send(json.dumps({"type": "auth", "token": user["access_token"]}))
    assert await _closed_with(extra) == 4429

    other = await signed_up(http)  # the cap is per user
    other_chat = (await http.post("/chats", json={}, headers=bearer(other))).json()
    others = ChatClient(server.ws_url, other_chat["id"], other["access_token"])
    await others.connect()

    await held[0].close()
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 30
    replacement = ChatClient(server.ws_url, chat["id"], user["access_token"])
    while True:  # the server frees the slot once it has seen the close
        try:
            await replacement.connect()
            break
        except (websockets.ConnectionClosed, AssertionError):
            assert loop.time() < deadline, "the closed socket's slot was never freed"
            await held[1].send({"type": "ping"})  # an observable round trip before trying again
            assert (await held[1].receive_raw())["type"] == "pong"
    for client in (*held, others, replacement):
        await client.close()


async def test_authentication_has_a_deadline(server: ServerProcess, http: httpx.AsyncClient) -> None:
    user = await signed_up(http)
    chat = (await http.post("/chats", json={}, headers=bearer(user))).json()
    async with websockets.connect(f"{server.ws_url}/chat/ws?chat_id={chat['id']}") as silent:
        assert await _closed_with(silent) == 4408


async def test_origin_must_match_scheme_and_host(server: ServerProcess, http: httpx.AsyncClient) -> None:
    user = await signed_up(http)
    chat = (await http.post("/chats", json={}, headers=bearer(user))).json()
    url = f"{server.ws_url}/chat/ws?chat_id={chat['id']}"
    host = server.url.removeprefix("http://")
    for refused in (f"https://{host}", "http://evil.example", f"http://{host}.evil.example"):
        with pytest.raises(websockets.InvalidStatus) as status:
            await websockets.connect(url, origin=refused)  # type: ignore[arg-type]
        assert status.value.response.status_code == 403, refused
    for accepted in (f"http://{host}", "https://app.example"):
        socket = await websockets.connect(url, origin=accepted)  # type: ignore[arg-type]
        await socket.send(json.dumps({"type": "auth", "token": user["access_token"]}))
        assert json.loads(await asyncio.wait_for(socket.recv(), 30))["type"] == "snapshot", accepted
        await socket.close()


async def test_the_socket_declines_per_message_compression(server: ServerProcess, http: httpx.AsyncClient) -> None:
    """Token frames are a few dozen bytes: compressing each costs CPU for nothing and its zlib state would be most of
    what an open socket costs in memory, so the offer every browser makes is declined."""
    user = await signed_up(http)
    chat = (await http.post("/chats", json={}, headers=bearer(user))).json()
    async with websockets.connect(
        f"{server.ws_url}/chat/ws?chat_id={chat['id']}", origin=websockets.Origin("https://app.example")
    ) as socket:
        assert socket.request is not None and "permessage-deflate" in socket.request.headers["Sec-WebSocket-Extensions"]
        assert socket.response is not None
        assert "Sec-WebSocket-Extensions" not in socket.response.headers
        await socket.send(json.dumps({"type": "auth", "token": user["access_token"]}))
        assert json.loads(await asyncio.wait_for(socket.recv(), 30))["type"] == "snapshot"  # and the socket works


async def test_a_socket_closed_for_an_oversized_frame_frees_its_place(
    server: ServerProcess, http: httpx.AsyncClient
) -> None:
    """The server closes a socket that sends an oversized frame (1009); its session must end with it, or each such
    socket would hold one of the user's places (and its tasks) until the server stops."""
    user = await signed_up(http)
    chat = (await http.post("/chats", json={}, headers=bearer(user))).json()
    for _ in range(MAX_SOCKETS + 1):
        socket = await websockets.connect(f"{server.ws_url}/chat/ws?chat_id={chat['id']}", max_size=None,
                                          origin=websockets.Origin("https://app.example"), compression=None)
        await socket.send(json.dumps({"type": "auth", "token": user["access_token"]}))
        assert json.loads(await asyncio.wait_for(socket.recv(), 30))["type"] == "snapshot"
        await socket.send("x" * 70_000)
        assert await _closed_with(socket) == 1009
    client = ChatClient(server.ws_url, chat["id"], user["access_token"])
    await client.connect()  # not refused with 4429: the closed sockets left no place taken
    await client.close()
