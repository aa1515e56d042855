"""The HTTP API over a real server process: accounts, documents, chats, and that users never see each other."""

from __future__ import annotations

import uuid

import httpx
import pytest

from tests.e2e.conftest import external_services_env
from tests.support.api import bearer, signed_up, upload, wait_for_status
from tests.support.server_process import ServerProcess


@pytest.fixture(scope="module")
def server(module_server: ServerProcess) -> ServerProcess:
    """One server for the module: each test signs up users of its own."""
    return module_server


async def test_register_login_refresh_logout(http: httpx.AsyncClient) -> None:
    user = await signed_up(http)
    me = await http.get("/me", headers=bearer(user))
    assert me.status_code == 200 and me.json()["email"] == user["email"]

    refreshed = await http.post("/auth/refresh", json={"refresh_token": user["refresh_token"]})
    assert refreshed.status_code == 200
    assert refreshed.json()["token_type"] == "bearer"
    # Rotation: the old refresh token is spent, and reusing it revokes the new one too (theft detection).
    reused = await http.post("/auth/refresh", json={"refresh_token": user["refresh_token"]})
    assert reused.status_code == 401
    again = await http.post("/auth/refresh", json={"refresh_token": refreshed.json()["refresh_token"]})
    assert again.status_code == 401

    fresh = (await http.post("/auth/login", json={"email": user["email"], "password": "correct horse"})).json()
    assert (await http.post("/auth/logout", json={"refresh_token": fresh["refresh_token"]})).status_code == 204
    assert (await http.post("/auth/refresh", json={"refresh_token": fresh["refresh_token"]})).status_code == 401


async def test_bad_credentials_and_bad_input_get_problem_details(http: httpx.AsyncClient) -> None:
    user = await signed_up(http)
    duplicate = await http.post("/auth/register", json={"email": user["email"].upper(), "password": "another one"})
    assert duplicate.status_code == 409
    assert duplicate.headers["content-type"].startswith("application/problem+json")

    wrong_password = await http.post("/auth/login", json={"email": user["email"], "password": "wrong password"})
    unknown_email = await http.post("/auth/login", json={"email": "nobody@example.com", "password": "wrong password"})
    assert wrong_password.status_code == unknown_email.status_code == 401
    assert wrong_password.json()["detail"] == unknown_email.json()["detail"]

    missing = await http.post("/auth/register", json={"email": "x@example.com"})
    assert missing.status_code == 400
    assert missing.json()["errors"][0]["field"] == "password"

    malformed = await http.post("/auth/login", content=b"{not json", headers={"content-type": "application/json"})
    assert malformed.status_code == 400

    no_token = await http.get("/documents")
    assert no_token.status_code == 401 and no_token.json()["code"] == "invalid_token"
    forged = await http.get("/documents", headers={"Authorization": "Bearer not.a.jwt"})
    assert forged.status_code == 401

    short = await http.post("/auth/register", json={"email": "y@example.com", "password": "short"})
    assert short.status_code == 400 and short.json()["errors"][0]["field"] == "password"


async def test_upload_list_get_delete(http: httpx.AsyncClient) -> None:
    user = await signed_up(http)
    created = await upload(http, user, "notes.md", b"# Notes\n\nPgvector stores embeddings.\n", "text/markdown")
    assert created.status_code == 201, created.text
    document = created.json()
    assert document["filename"] == "notes.md" and document["status"] in ("pending", "indexing", "ready")
    uuid.UUID(document["id"])

    listed = (await http.get("/documents", headers=bearer(user))).json()["items"]
    assert [d["id"] for d in listed] == [document["id"]]
    ready = await wait_for_status(http, user, document["id"])
    assert ready["status"] == "ready", ready

    assert (await http.delete(f"/documents/{document['id']}", headers=bearer(user))).status_code == 204
    assert (await http.get(f"/documents/{document['id']}", headers=bearer(user))).status_code == 404
    assert (await http.get("/documents", headers=bearer(user))).json()["items"] == []


async def test_upload_rejects_bad_files(http: httpx.AsyncClient) -> None:
    user = await signed_up(http)
    assert (await upload(http, user, "empty.txt", b"")).status_code == 400
    assert (await upload(http, user, "tool.exe", b"MZ\x90\x00")).status_code == 415
    assert (await upload(http, user, "fake.pdf", b"just text, not a PDF")).status_code == 415
    no_file = await http.post("/documents", headers=bearer(user), files={"other": ("a.txt", b"x", "text/plain")})
    assert no_file.status_code == 400
    assert (await http.get("/documents", headers=bearer(user))).json()["items"] == []


async def test_oversized_upload_is_refused_with_413(pg_url: str, data_dir, tmp_path) -> None:  # type: ignore[no-untyped-def]
    env = external_services_env(pg_url, RAGCHAT_DATA_DIR=str(data_dir), RAGCHAT_MAX_UPLOAD_BYTES="1000")
    server = ServerProcess(env, log_path=tmp_path / "server.log").start()
    try:
        async with httpx.AsyncClient(base_url=server.url) as client:
            user = await signed_up(client)
            slightly_over = await upload(client, user, "big.txt", b"a" * 1001)
            assert slightly_over.status_code == 413
            far_over = await upload(client, user, "huge.txt", b"a" * 5_000_000)
            assert far_over.status_code == 413
            for refused in (slightly_over, far_over):  # measured by the use case, or refused by the body limit
                problem = refused.json()
                assert problem["detail"] == "the file is larger than the 1,000 bytes limit"
                assert (problem["code"], problem["retryable"]) == ("payload_too_large", False)
            assert (await client.get("/documents", headers=bearer(user))).json()["items"] == []
    finally:
        server.stop()


async def test_chats_crud_and_history(http: httpx.AsyncClient) -> None:
    user = await signed_up(http)
    chat = (await http.post("/chats", headers=bearer(user), json={"title": "Research"})).json()
    assert chat["stage"] == "answering" and chat["title"] == "Research"
    untitled = await http.post("/chats", headers=bearer(user))
    assert untitled.status_code == 201 and untitled.json()["title"] == "New chat"

    renamed = await http.patch(f"/chats/{chat['id']}", headers=bearer(user), json={"title": "Renamed", "stage": "test"})
    assert renamed.status_code == 200
    assert renamed.json()["title"] == "Renamed" and renamed.json()["stage"] == "test"
    bad_stage = await http.patch(f"/chats/{chat['id']}", headers=bearer(user), json={"stage": "party"})
    assert bad_stage.status_code == 400

    history = (await http.get(f"/chats/{chat['id']}", headers=bearer(user))).json()
    assert history["chat"]["id"] == chat["id"] and history["messages"] == [] and history["next_before"] is None

    ids = {c["id"] for c in (await http.get("/chats", headers=bearer(user))).json()["items"]}
    assert ids == {chat["id"], untitled.json()["id"]}
    assert (await http.delete(f"/chats/{chat['id']}", headers=bearer(user))).status_code == 204
    assert (await http.get(f"/chats/{chat['id']}", headers=bearer(user))).status_code == 404


async def test_users_cannot_touch_each_others_data(http: httpx.AsyncClient) -> None:
    alice, mallory = await signed_up(http), await signed_up(http)
    doc = (await upload(http, alice, "secret.txt", b"the launch code is 1234")).json()
    chat = (await http.post("/chats", headers=bearer(alice), json={"title": "Private"})).json()

    foreign = [
        ("GET", f"/documents/{doc['id']}", None),
        ("DELETE", f"/documents/{doc['id']}", None),
        ("GET", f"/chats/{chat['id']}", None),
        ("PATCH", f"/chats/{chat['id']}", {"title": "pwned"}),
        ("PATCH", f"/chats/{chat['id']}", {"stage": "test"}),
        ("DELETE", f"/chats/{chat['id']}", None),
    ]
    for method, path, body in foreign:
        response = await http.request(method, path, headers=bearer(mallory), json=body)
        assert response.status_code == 404, (method, path, response.status_code)
        assert "launch code" not in response.text and "Private" not in response.text

    assert (await http.get("/documents", headers=bearer(mallory))).json()["items"] == []
    assert (await http.get("/chats", headers=bearer(mallory))).json()["items"] == []
    await wait_for_status(http, alice, doc["id"])
    found = (await http.get("/search", params={"q": "launch code"}, headers=bearer(mallory))).json()
    assert found["items"] == []

    # Alice still has everything, unchanged.
    assert (await http.get(f"/documents/{doc['id']}", headers=bearer(alice))).status_code == 200
    mine = (await http.get(f"/chats/{chat['id']}", headers=bearer(alice))).json()
    assert mine["chat"]["title"] == "Private" and mine["chat"]["stage"] == "answering"


async def test_health_ready_and_openapi(http: httpx.AsyncClient) -> None:
    assert (await http.get("/health")).json() == {"status": "ok"}
    ready = (await http.get("/ready")).json()
    assert ready["ready"] is True and {c["name"] for c in ready["checks"]} >= {"database", "model"}
    schema = (await http.get("/schema/openapi.json")).json()
    assert "/documents" in schema["paths"] and "/auth/login" in schema["paths"]
    response = await http.get("/health")
    assert response.headers.get("x-request-id")
