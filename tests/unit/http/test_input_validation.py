"""Text with control characters and out-of-range integers are refused at the edge with a 400 naming the field,
never reaching the database (where a NUL byte used to become a 500)."""

from __future__ import annotations

from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from tests.unit.http.conftest import PASSWORD, sign_in

BAD_TEXT = ["a\x00b", "a\x07b", "a\x1bb", "a\x7fb", "a\x85b"]


def _field_of(response: Any) -> str:
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    [error] = response.json()["errors"]
    return str(error["field"])


@pytest.mark.parametrize("bad", BAD_TEXT)
async def test_register_and_login_refuse_control_characters_in_the_email(http: AsyncTestClient[Any], bad: str) -> None:
    for path in ("/auth/register", "/auth/login"):
        response = await http.post(path, json={"email": f"x{bad}@example.com", "password": PASSWORD})
        assert _field_of(response) == "email"
        assert "control characters" in response.json()["detail"]


async def test_an_email_with_a_trailing_newline_is_refused_not_trimmed(http: AsyncTestClient[Any]) -> None:
    response = await http.post("/auth/register", json={"email": "x@example.com\n", "password": PASSWORD})
    assert _field_of(response) == "email"


@pytest.mark.parametrize("bad", BAD_TEXT)
async def test_chat_titles_refuse_control_characters(http: AsyncTestClient[Any], bad: str) -> None:
    headers = await sign_in(http)
    assert _field_of(await http.post("/chats", json={"title": f"t{bad}"}, headers=headers)) == "title"
    chat = (await http.post("/chats", json={"title": "fine"}, headers=headers)).json()
    assert _field_of(await http.patch(f"/chats/{chat['id']}", json={"title": bad}, headers=headers)) == "title"
    # Tabs and newlines are whitespace, collapsed as before.
    renamed = await http.patch(f"/chats/{chat['id']}", json={"title": "two\tword\ntitle"}, headers=headers)
    assert renamed.status_code == 200 and renamed.json()["title"] == "two word title"


@pytest.mark.parametrize("mode", ["hybrid", "vector", "keyword"])
async def test_search_refuses_control_characters_in_every_mode(http: AsyncTestClient[Any], mode: str) -> None:
    headers = await sign_in(http)
    for bad in BAD_TEXT:
        response = await http.get("/search", params={"q": bad, "mode": mode}, headers=headers)
        assert _field_of(response) == "q"


async def test_integer_parameters_are_bounded(http: AsyncTestClient[Any]) -> None:
    headers = await sign_in(http)
    chat = (await http.post("/chats", json={}, headers=headers)).json()
    assert _field_of(await http.get(f"/chats/{chat['id']}", params={"before": 2**31}, headers=headers)) == "before"
    assert (await http.get(f"/chats/{chat['id']}", params={"before": 2**31 - 1}, headers=headers)).status_code == 200
    assert _field_of(await http.get(f"/chats/{chat['id']}", params={"limit": 201}, headers=headers)) == "limit"
    assert _field_of(await http.get("/search", params={"q": "x", "k": 51}, headers=headers)) == "k"


async def test_the_schema_shows_the_constraints(http: AsyncTestClient[Any]) -> None:
    schema = (await http.get("/schema/openapi.json")).json()
    credentials = schema["components"]["schemas"]["Credentials"]["properties"]
    assert "pattern" in credentials["email"] and credentials["email"]["maxLength"] == 320
    assert credentials["password"]["maxLength"] == 1024
    get_chat = schema["paths"]["/chats/{chat_id}"]["get"]["parameters"]
    before = next(p for p in get_chat if p["name"] == "before")
    assert before["schema"]["maximum"] == 2**31 - 1
    q = next(p for p in schema["paths"]["/search"]["get"]["parameters"] if p["name"] == "q")
    assert "pattern" in q["schema"]


async def test_login_refuses_an_overlong_password_without_hashing_it(http: AsyncTestClient[Any]) -> None:
    await sign_in(http, "long@example.com")
    response = await http.post("/auth/login", json={"email": "long@example.com", "password": "x" * 1025})
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "password"
