"""The chat WebSocket over a real server process: a whole turn, bad input, resume and idempotent re-sends."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest
import websockets

from tests.support.api import bearer, signed_up, upload, wait_for_status
from tests.support.chat_client import ChatClient
from tests.support.server_process import ServerProcess


@pytest.fixture(scope="module")
def server(module_server: ServerProcess) -> ServerProcess:
    """One server for the module: each test signs up users of its own."""
    return module_server


async def _chat_with_document(http: httpx.AsyncClient) -> tuple[dict[str, str], str]:
    user = await signed_up(http)
    text = (
        b"# Pgvector\n\nPgvector adds vector similarity search to PostgreSQL. It supports HNSW indexes "
        b"and cosine distance.\n\n# Redis\n\nRedis is an in-memory data store used for queues.\n"
    )
    doc = (await upload(http, user, "guide.md", text, "text/markdown")).json()
    assert (await wait_for_status(http, user, doc["id"]))["status"] == "ready"
    chat = (await http.post("/chats", headers=bearer(user), json={"title": "Docs"})).json()
    return user, chat["id"]


async def test_a_full_turn_streams_tokens_citations_and_matches_history(
    server: ServerProcess, http: httpx.AsyncClient
) -> None:
    user, chat_id = await _chat_with_document(http)
    client = ChatClient(server.ws_url, chat_id, user["access_token"])
    await client.connect()
    client_msg_id = await client.send_message("What does pgvector add to PostgreSQL?")
    accepted = await client.until("accepted")
    assert accepted["client_msg_id"] == client_msg_id
    done = await client.until("answer_done")
    kinds = [f["type"] for f in client.frames]
    assert kinds[0] == "accepted" and "token" in kinds and "citation" in kinds and kinds[-1] == "answer_done"
    answer = client.answer_text(done["message_id"])
    assert "vector similarity" in answer
    citations = [f["citation"] for f in client.frames if f["type"] == "citation"]
    assert citations[0]["filename"] == "guide.md"
    await client.close()

    history = (await http.get(f"/chats/{chat_id}", headers=bearer(user))).json()["messages"]
    assert [m["role"] for m in history] == ["user", "assistant"]
    assert history[0]["status"] == "complete" and history[0]["client_msg_id"] == client_msg_id
    assert history[1]["content"] == answer and history[1]["id"] == done["message_id"]
    assert [c["chunk_id"] for c in history[1]["citations"]] == [c["chunk_id"] for c in citations]


async def test_resending_a_message_after_reconnect_runs_one_turn(
    server: ServerProcess, http: httpx.AsyncClient
) -> None:
    user, chat_id = await _chat_with_document(http)
    client = ChatClient(server.ws_url, chat_id, user["access_token"])
    await client.connect()
    client_msg_id = await client.send_message("What is Redis used for?")
    first = await client.until("accepted")
    await client.close()
    await client.connect()
    await client.send_message("What is Redis used for?", client_msg_id=client_msg_id)
    await client.until("answer_done")
    again = [f for f in client.frames if f["type"] == "accepted"]
    assert {f["message_id"] for f in again} == {first["message_id"]}
    # A chat's turns run in order, so once a later question is answered, a (wrong) second turn for the re-sent
    # one would already have run and shown up in the history.
    follow_up = await client.send_message("And what is it not used for?")
    await client.until("accepted", client_msg_id=follow_up)
    while sum(f["type"] == "answer_done" for f in client.frames) < 2:
        await client.until("answer_done")
    await client.close()
    history = (await http.get(f"/chats/{chat_id}", headers=bearer(user))).json()["messages"]
    assert [m["role"] for m in history] == ["user", "assistant", "user", "assistant"]
    assert [m["client_msg_id"] for m in history if m["role"] == "user"] == [client_msg_id, follow_up]


async def test_bad_frames_get_error_frames_and_the_session_survives(
    server: ServerProcess, http: httpx.AsyncClient
) -> None:
    user, chat_id = await _chat_with_document(http)
    client = ChatClient(server.ws_url, chat_id, user["access_token"])
    await client.connect()
    bad = [
        "not json",
        json.dumps({"type": "dance"}),
        json.dumps({"type": "message", "text": "no id"}),
        json.dumps({"type": "message", "client_msg_id": "x", "text": "a" * 9000}),
        json.dumps({"type": "message", "client_msg_id": "y", "text": "   "}),
        json.dumps({"type": "ack", "seq": 10_000}),
        json.dumps({"type": "ack", "seq": -1}),
        json.dumps({"type": "set_stage", "stage": "party"}),
    ]
    codes = []
    for raw in bad:
        assert client.socket is not None
        await client.socket.send(raw)
        frame = await client.receive()
        assert frame["type"] == "error", frame
        codes.append(frame["code"])
    assert codes == [
        "invalid_frame",
        "invalid_frame",
        "invalid_frame",
        "invalid_input",
        "invalid_input",
        "seq_ahead",
        "invalid_frame",
        "invalid_frame",
    ]
    await client.send({"type": "ping"})
    assert (await client.receive())["type"] == "pong"
    await client.close()


async def test_socket_policy_closes(server: ServerProcess, http: httpx.AsyncClient) -> None:
    alice, chat_id = await _chat_with_document(http)
    mallory = await signed_up(http)

    async def close_code(frames: list[str], url: str | None = None, **kwargs: object) -> int | None:
        async with websockets.connect(url or f"{server.ws_url}/chat/ws?chat_id={chat_id}", **kwargs) as ws:
            with pytest.raises(websockets.ConnectionClosed) as closed:
                for frame in frames:  # the server may close before the client is done sending
                    await ws.send(frame)
                while True:
                    await asyncio.wait_for(ws.recv(), 10)
            return closed.value.rcvd.code if closed.value.rcvd else None

    def auth(user: dict[str, str]) -> str:
        return json.dumps({"type": "auth", "token": user["access_token"]})

    assert await close_code([auth(mallory)]) == 4403  # not her chat: the same as a missing one
    assert await close_code([json.dumps({"type": "auth", "token": "forged"})]) == 4401
    assert await close_code([json.dumps({"type": "message", "client_msg_id": "a", "text": "hi"})]) == 4401
    bad_chat = f"{server.ws_url}/chat/ws?chat_id=not-a-uuid"
    assert await close_code([auth(alice)], url=bad_chat) == 4403
    # The subprotocol pair is refused with the same codes, after the handshake (not as an HTTP 403).
    assert await close_code([], subprotocols=["bearer", "forged"]) == 4401
    assert await close_code([], subprotocols=["bearer", mallory["access_token"]]) == 4403
    # Frame limits count bytes: 40,000 two-byte characters are 80,000 bytes, over the 64 KiB limit.
    assert await close_code([auth(alice), "x" * 70_000], max_size=None) == 1009
    assert await close_code([auth(alice), json.dumps({"type": "ping", "pad": "é" * 40_000}, ensure_ascii=False)],
                            max_size=None) == 1009
    # Before authentication only a small frame is read.
    assert await close_code([json.dumps({"type": "auth", "token": "t" * 20_000})], max_size=None) == 1009
    with pytest.raises(websockets.InvalidStatus):
        await close_code([], origin="http://evil.example")  # type: ignore[arg-type]


async def test_message_flood_is_rate_limited(server: ServerProcess, http: httpx.AsyncClient) -> None:
    user, chat_id = await _chat_with_document(http)
    client = ChatClient(server.ws_url, chat_id, user["access_token"])
    await client.connect()
    flood = {f"flood-{i}" for i in range(200)}
    for client_msg_id in sorted(flood):
        await client.send({"type": "message", "client_msg_id": client_msg_id, "text": "hello"})
    verdicts: dict[str, str] = {}  # every message is either accepted or refused, by name
    while len(verdicts) < len(flood):
        frame = await client.receive(timeout=60)
        if frame["type"] in ("accepted", "error") and frame.get("client_msg_id") in flood:
            assert frame["type"] == "accepted" or (frame["code"], frame["retryable"]) == ("rate_limited", True), frame
            verdicts[frame["client_msg_id"]] = frame["type"]
    assert list(verdicts.values()).count("error") > 100
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 60
    while True:  # the session survives: once the frame budget refills, a ping is answered
        await client.send({"type": "ping"})
        while (frame := await client.receive(timeout=60))["type"] != "pong" and frame.get("code") != "rate_limited":
            pass
        if frame["type"] == "pong":
            break
        assert loop.time() < deadline, "the frame budget never refilled"
        await asyncio.sleep(0.2)  # the budget refills with time alone: nothing to observe but the clock
    await client.close()


async def test_stage_switch_changes_behaviour(server: ServerProcess, http: httpx.AsyncClient) -> None:
    user, chat_id = await _chat_with_document(http)
    client = ChatClient(server.ws_url, chat_id, user["access_token"])
    await client.connect()
    await client.send({"type": "set_stage", "stage": "test"})
    assert (await client.until("stage_changed"))["stage"] == "test"
    await client.send_message("What does pgvector add to PostgreSQL?")
    done = await client.until("answer_done")
    answer = client.answer_text(done["message_id"])
    turn = [f for f in client.frames if f.get("message_id") == done["message_id"]]
    assert not [f for f in turn if f["type"] == "citation"]
    assert "vector similarity" not in answer  # the offline answerer in test stage never reads the documents
    await client.close()
    chat = (await http.get(f"/chats/{chat_id}", headers=bearer(user))).json()["chat"]
    assert chat["stage"] == "test"
