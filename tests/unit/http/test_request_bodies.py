"""JSON routes take ``application/json`` only (a cross-site form cannot POST to them without a preflight), and
bodies are small except on the upload route; a token whose account is gone is a 401, not a server error."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from application.ports.access_tokens import AccessTokens
from tests.unit.http.conftest import PASSWORD, sign_in

FORM_TYPES = ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"]


@pytest.mark.parametrize("content_type", FORM_TYPES)
async def test_cross_site_form_posts_to_register_and_login_are_refused(
    http: AsyncTestClient[Any], content_type: str
) -> None:
    body = f'{{"email": "evil@example.com", "password": "{PASSWORD}"}}'
    for path in ("/auth/register", "/auth/login"):
        response = await http.post(
            path, content=body, headers={"content-type": content_type, "origin": "https://evil.example"}
        )
        assert response.status_code == 415, response.text
        assert response.json()["code"] == "unsupported_media_type"
    # Nothing was created: the same JSON registration still succeeds.
    registered = await http.post("/auth/register", json={"email": "evil@example.com", "password": PASSWORD})
    assert registered.status_code == 201


async def test_a_body_without_a_content_type_is_refused(http: AsyncTestClient[Any]) -> None:
    response = await http.post(
        "/auth/login", content=b'{"email": "a@example.com", "password": "x"}', headers={"content-type": ""}
    )
    assert response.status_code == 415


async def test_json_with_a_charset_is_accepted(http: AsyncTestClient[Any]) -> None:
    response = await http.post(
        "/auth/register",
        content=f'{{"email": "c@example.com", "password": "{PASSWORD}"}}',
        headers={"content-type": "application/json; charset=utf-8"},
    )
    assert response.status_code == 201


async def test_json_bodies_are_small_but_uploads_are_not(http: AsyncTestClient[Any]) -> None:
    big = "x" * (128 * 1024)
    response = await http.post("/auth/login", json={"email": "a@example.com", "password": big})
    assert response.status_code == 413
    headers = await sign_in(http)
    document = b"# Big\n\n" + b"word " * (40 * 1024)  # 200 KiB: over the JSON limit, far under the upload limit
    uploaded = await http.post("/documents", files={"file": ("big.md", document, "text/markdown")}, headers=headers)
    assert uploaded.status_code == 201, uploaded.text


async def test_a_token_for_an_account_that_does_not_exist_is_401_everywhere(http: AsyncTestClient[Any]) -> None:
    tokens: AccessTokens = await http.app.state.dishka_container.get(AccessTokens)
    headers = {"Authorization": f"Bearer {tokens.issue(uuid.uuid4())}"}
    responses = [
        await http.get("/me", headers=headers),
        await http.post("/chats", json={}, headers=headers),
        await http.get("/chats", headers=headers),
        await http.post("/documents", files={"file": ("a.md", b"# A", "text/markdown")}, headers=headers),
        await http.get("/documents", headers=headers),
        await http.get("/search", params={"q": "x"}, headers=headers),
        await http.get("/me/usage", headers=headers),
    ]
    assert [r.status_code for r in responses] == [401] * len(responses)
    assert {r.json()["code"] for r in responses} == {"invalid_token"}
