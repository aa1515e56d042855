"""The inputs that used to reach PostgreSQL and fail there (NUL bytes, integer overflow, a deleted account's
token) are refused with 4xx by a real server on a real database."""

from __future__ import annotations

import uuid

import httpx
import pytest

from adapters.auth.jwt_access_tokens import JwtAccessTokens
from tests.e2e.conftest import JWT_SECRET
from tests.support.api import bearer, signed_up
from tests.support.server_process import ServerProcess


@pytest.fixture(scope="module")
def server(module_server: ServerProcess) -> ServerProcess:
    """One server for the module: each test signs up users of its own."""
    return module_server


async def test_nul_bytes_and_overflowing_integers_are_400(http: httpx.AsyncClient) -> None:
    user = await signed_up(http)
    for path in ("/auth/register", "/auth/login"):
        response = await http.post(path, json={"email": "nul\x00@example.com", "password": "correct horse"})
        assert response.status_code == 400 and response.json()["errors"][0]["field"] == "email"
    created = await http.post("/chats", json={"title": "a\x00b"}, headers=bearer(user))
    assert created.status_code == 400 and created.json()["errors"][0]["field"] == "title"
    chat = (await http.post("/chats", json={"title": "ok"}, headers=bearer(user))).json()
    renamed = await http.patch(f"/chats/{chat['id']}", json={"title": "\x00"}, headers=bearer(user))
    assert renamed.status_code == 400 and renamed.json()["errors"][0]["field"] == "title"
    for mode in ("hybrid", "vector", "keyword"):
        found = await http.get("/search", params={"q": "a\x00b", "mode": mode}, headers=bearer(user))
        assert found.status_code == 400 and found.json()["errors"][0]["field"] == "q"
    overflow = await http.get(f"/chats/{chat['id']}", params={"before": 2**31}, headers=bearer(user))
    assert overflow.status_code == 400 and overflow.json()["errors"][0]["field"] == "before"


async def test_a_token_whose_account_does_not_exist_is_401(http: httpx.AsyncClient) -> None:
    token = JwtAccessTokens(JWT_SECRET, 900).issue(uuid.uuid4())
    headers = {"Authorization": f"Bearer {token}"}
    chat = await http.post("/chats", json={}, headers=headers)
    document = await http.post("/documents", files={"file": ("a.md", b"# A\n", "text/markdown")}, headers=headers)
    assert (chat.status_code, document.status_code) == (401, 401)
    assert chat.json()["code"] == document.json()["code"] == "invalid_token"
