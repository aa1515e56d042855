"""Duplicate uploads and a chat's document scope over a real server process (HTTP and the chat socket)."""

from __future__ import annotations

import uuid

import httpx
import pytest

from tests.support.api import bearer, signed_up, upload, wait_for_status
from tests.support.chat_client import ChatClient
from tests.support.server_process import ServerProcess


@pytest.fixture(scope="module")
def server(module_server: ServerProcess) -> ServerProcess:
    """One server for the module: each test signs up users of its own."""
    return module_server


PGVECTOR = b"# Pgvector\n\nPgvector adds vector similarity search to PostgreSQL with HNSW indexes.\n"
REDIS = b"# Redis\n\nRedis is an in-memory data store. Redis adds streams and queues to applications.\n"


async def test_an_identical_upload_answers_409_with_the_existing_document(http: httpx.AsyncClient) -> None:
    user = await signed_up(http)
    first = (await upload(http, user, "guide.md", PGVECTOR, "text/markdown")).json()
    again = await upload(http, user, "guide-copy.md", PGVECTOR, "text/markdown")
    assert again.status_code == 409
    problem = again.json()
    assert problem["code"] == "duplicate_document" and problem["document_id"] == first["id"]
    assert "already uploaded as guide.md" in problem["detail"]
    listed = (await http.get("/documents", headers=bearer(user))).json()["items"]
    assert [d["id"] for d in listed] == [first["id"]]
    other = await signed_up(http)
    assert (await upload(http, other, "guide.md", PGVECTOR, "text/markdown")).status_code == 201


async def test_tags_at_upload_and_afterwards(http: httpx.AsyncClient) -> None:
    user = await signed_up(http)
    created = await http.post(
        "/documents",
        headers=bearer(user),
        data={"tags": "Databases, search"},
        files={"file": ("guide.md", PGVECTOR, "text/markdown")},
    )
    assert created.status_code == 201 and created.json()["tags"] == ["databases", "search"]
    changed = await http.patch(f"/documents/{created.json()['id']}", headers=bearer(user), json={"tags": ["db"]})
    assert changed.status_code == 200 and changed.json()["tags"] == ["db"]
    bad = await http.patch(f"/documents/{created.json()['id']}", headers=bearer(user), json={"tags": ["<b>"]})
    assert bad.status_code == 400


async def test_a_chat_limited_to_one_document_answers_from_it_alone(
    server: ServerProcess, http: httpx.AsyncClient
) -> None:
    user = await signed_up(http)
    pgvector = (await upload(http, user, "pgvector.md", PGVECTOR, "text/markdown")).json()
    redis = (await upload(http, user, "redis.md", REDIS, "text/markdown")).json()
    for document in (pgvector, redis):
        assert (await wait_for_status(http, user, document["id"]))["status"] == "ready"
    chat = (await http.post("/chats", headers=bearer(user), json={"title": "Scoped"})).json()
    assert chat["scope"] == {"document_ids": [], "tags": []}

    scoped = await http.patch(
        f"/chats/{chat['id']}", headers=bearer(user), json={"scope": {"document_ids": [redis["id"]]}}
    )
    assert scoped.status_code == 200 and scoped.json()["scope"]["document_ids"] == [redis["id"]]
    history = (await http.get(f"/chats/{chat['id']}", headers=bearer(user))).json()
    assert history["chat"]["scope"]["document_ids"] == [redis["id"]]
    unknown = await http.patch(
        f"/chats/{chat['id']}", headers=bearer(user), json={"scope": {"document_ids": [str(uuid.uuid4())]}}
    )
    assert unknown.status_code == 400

    client = ChatClient(server.ws_url, chat["id"], user["access_token"])
    await client.connect()
    await client.send_message("What does pgvector add to PostgreSQL?")
    await client.until("answer_done")
    cited = {f["citation"]["filename"] for f in client.frames if f["type"] == "citation"}
    assert cited <= {"redis.md"}  # pgvector.md matches best, but the chat does not search it
    client.frames.clear()
    await client.send_message("What does Redis add to applications?")
    await client.until("answer_done")
    cited = {f["citation"]["filename"] for f in client.frames if f["type"] == "citation"}
    await client.close()
    assert cited == {"redis.md"}
