"""``GET /chats?q=`` and ``PATCH /chats/{id} {"pinned"}`` over the real Litestar app on the in-memory twins."""

from __future__ import annotations

from typing import Any

from litestar.testing import AsyncTestClient

from tests.unit.http.conftest import sign_in


async def test_pin_and_search_over_http(http: AsyncTestClient[Any]) -> None:
    auth = await sign_in(http)
    ids = {}
    for title in ("Printer setup", "Holiday plans", "Printer ink"):
        response = await http.post("/chats", json={"title": title}, headers=auth)
        assert response.status_code == 201 and response.json()["pinned"] is False
        ids[title] = response.json()["id"]

    pinned = await http.patch(f"/chats/{ids['Printer setup']}", json={"pinned": True}, headers=auth)
    assert pinned.status_code == 200 and pinned.json()["pinned"] is True

    listed = (await http.get("/chats", headers=auth)).json()["items"]
    assert [c["title"] for c in listed] == ["Printer setup", "Printer ink", "Holiday plans"]
    found = (await http.get("/chats", params={"q": "PRINTER"}, headers=auth)).json()["items"]
    assert [c["title"] for c in found] == ["Printer setup", "Printer ink"]
    assert (await http.get("/chats", params={"q": "x" * 201}, headers=auth)).status_code == 400
    assert (await http.get("/chats", params={"q": "a\x01"}, headers=auth)).status_code == 400
    other = await sign_in(http, "other@example.com")
    assert (await http.get("/chats", params={"q": "printer"}, headers=other)).json()["items"] == []
    assert (await http.patch(f"/chats/{ids['Holiday plans']}", json={"pinned": True}, headers=other)).status_code == 404
