"""The administrator over real HTTP and WebSocket: 403 for everyone else, disabling (login, refresh, API and an
open socket stop working), and deletion that leaves no row in any table and no file on disk."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
import pytest
import websockets
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.support.api import bearer, signed_up, upload, wait_for_status
from tests.support.chat_client import ChatClient
from tests.support.server_process import ServerProcess

GOOD = "correct horse battery"


@pytest.fixture
def server_env(server_env: dict[str, str]) -> dict[str, str]:
    return {**server_env, "RAGCHAT_WS_ACCOUNT_CHECK_SECONDS": "1"}


async def _rows_mentioning(engine: AsyncEngine, user_id: str) -> dict[str, int]:
    """Every table of the schema, every column: its text form, and binary columns byte by byte."""
    found: dict[str, int] = {}
    async with engine.connect() as connection:
        tables = (
            (
                await connection.execute(
                    text(
                        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' "
                        "AND table_type = 'BASE TABLE'"
                    )
                )
            )
            .scalars()
            .all()
        )
        for table in tables:
            binary = (
                (
                    await connection.execute(
                        text(
                            "SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' "
                            "AND table_name = :t AND data_type = 'bytea'"
                        ),
                        {"t": table},
                    )
                )
                .scalars()
                .all()
            )
            clauses = ["t::text LIKE :pattern", *(f"position(convert_to(:id, 'UTF8') IN t.{c}) > 0" for c in binary)]
            query = f'SELECT count(*) FROM "{table}" t WHERE ' + " OR ".join(clauses)
            count = (await connection.execute(text(query), {"pattern": f"%{user_id}%", "id": user_id})).scalar_one()
            if count:
                found[table] = int(count)
    assert len(tables) >= 8, tables  # the check looked at the real schema
    return found


async def _usage_recorded(http: httpx.AsyncClient, user: dict[str, str], wait_seconds: float = 60.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + wait_seconds
    while (await http.get("/me/usage", headers=bearer(user))).json()["total"]["total_tokens"] == 0:
        assert loop.time() < deadline, "no token usage recorded"
        await asyncio.sleep(0.1)


async def _member_with_everything(server: ServerProcess, http: httpx.AsyncClient, code: str) -> dict[str, Any]:
    registered = await http.post(
        "/auth/register", json={"email": "member@example.com", "password": GOOD, "invite_code": code}
    )
    assert registered.status_code == 201, registered.text
    member: dict[str, Any] = (
        await http.post("/auth/login", json={"email": "member@example.com", "password": GOOD})
    ).json()
    member["id"] = registered.json()["id"]
    doc = (await upload(http, member, "guide.md", b"# Pgvector\n\nPgvector adds vector search.\n")).json()
    assert (await wait_for_status(http, member, doc["id"]))["status"] == "ready"
    chat = (await http.post("/chats", headers=bearer(member), json={"title": "Mine"})).json()
    client = ChatClient(server.ws_url, chat["id"], member["access_token"])
    await client.connect()
    await client.send_message("What does pgvector add?")
    await client.until("answer_done")
    await client.close()
    await _usage_recorded(http, member)
    return member


async def test_only_the_administrator_manages_accounts(http: httpx.AsyncClient) -> None:
    admin = await signed_up(http, password=GOOD)
    member = await signed_up(http, password=GOOD)
    admin_id = (await http.get("/me", headers=bearer(admin))).json()["id"]

    for method, path in [
        ("GET", "/admin/users"),
        ("GET", "/admin/invitations"),
        ("POST", "/admin/invitations"),
        ("POST", f"/admin/users/{admin_id}/disable"),
        ("DELETE", f"/admin/users/{admin_id}"),
    ]:
        refused = await http.request(method, path, headers=bearer(member))
        assert refused.status_code == 403, (method, path, refused.text)
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert refused.json()["code"] == "forbidden" and "administrator" in refused.json()["detail"]
    assert (await http.get("/admin/users")).status_code == 401

    listed = (await http.get("/admin/users", headers=bearer(admin))).json()["items"]
    assert [(u["email"], u["role"], u["disabled"]) for u in listed] == [
        (admin["email"], "admin", False),
        (member["email"], "member", False),
    ]
    itself = await http.post(f"/admin/users/{admin_id}/disable", headers=bearer(admin))
    assert itself.status_code == 403 and "cannot be disabled" in itself.json()["detail"]

    made = await http.post("/admin/invitations", headers=bearer(admin), json={"email": "Bob@Example.com"})
    assert made.status_code == 201 and len(made.json()["code"]) >= 20
    [pending] = (await http.get("/admin/invitations", headers=bearer(admin))).json()["items"]
    assert (pending["status"], pending["email"]) == ("pending", "bob@example.com") and "code" not in pending
    assert (await http.delete(f"/admin/invitations/{pending['id']}", headers=bearer(admin))).status_code == 204
    assert (await http.get("/admin/invitations", headers=bearer(admin))).json()["items"] == []


async def test_a_disabled_account_is_locked_out_everywhere_until_enabled(
    server: ServerProcess, http: httpx.AsyncClient
) -> None:
    admin = await signed_up(http, password=GOOD)
    member = await signed_up(http, password=GOOD)
    member_id = (await http.get("/me", headers=bearer(member))).json()["id"]
    chat = (await http.post("/chats", headers=bearer(member), json={"title": "Open"})).json()
    client = ChatClient(server.ws_url, chat["id"], member["access_token"])
    await client.connect()

    disabled = await http.post(f"/admin/users/{member_id}/disable", headers=bearer(admin))
    assert disabled.status_code == 200 and disabled.json()["disabled"] is True

    api = await http.get("/chats", headers=bearer(member))
    assert api.status_code == 401 and api.json()["code"] == "account_disabled"
    login = await http.post("/auth/login", json={"email": member["email"], "password": GOOD})
    assert login.status_code == 401 and login.json()["code"] == "account_disabled"
    refresh = await http.post("/auth/refresh", json={"refresh_token": member["refresh_token"]})
    assert refresh.status_code == 401
    with pytest.raises(websockets.ConnectionClosed) as closed:  # the open socket, at its next account check
        await client.until("never", timeout=30)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4401
    with pytest.raises(websockets.ConnectionClosed):
        await client.connect()

    assert (await http.post(f"/admin/users/{member_id}/enable", headers=bearer(admin))).status_code == 200
    again = await http.post("/auth/login", json={"email": member["email"], "password": GOOD})
    assert again.status_code == 200
    assert (await http.get("/chats", headers=bearer(again.json()))).status_code == 200


async def test_deleting_a_user_leaves_no_row_and_no_file(
    server: ServerProcess, http: httpx.AsyncClient, pg_engine: AsyncEngine, data_dir: Path
) -> None:
    admin = await signed_up(http, password=GOOD)
    kept = (await upload(http, admin, "kept.md", b"# Kept\n\nThe administrator's own file.\n")).json()
    code = (await http.post("/admin/invitations", headers=bearer(admin), json={})).json()["code"]
    member = await _member_with_everything(server, http, code)
    before = await _rows_mentioning(pg_engine, member["id"])
    assert {"users", "documents", "chunks", "chats", "token_usage", "refresh_tokens", "invitations"} <= set(before)
    blobs = data_dir / "blobs"
    assert any(member["id"] in str(p) for p in blobs.rglob("*"))

    deleted = await http.delete(f"/admin/users/{member['id']}", headers=bearer(admin))

    assert deleted.status_code == 204
    assert await _rows_mentioning(pg_engine, member["id"]) == {}
    assert [p for p in blobs.rglob("*") if member["id"] in str(p)] == []
    assert [p.name for p in blobs.rglob("*") if p.is_file()] == [kept["id"]]
    assert (await http.get("/me", headers=bearer(member))).status_code == 401
    assert (await http.delete(f"/admin/users/{member['id']}", headers=bearer(admin))).status_code == 404
    assert [u["role"] for u in (await http.get("/admin/users", headers=bearer(admin))).json()["items"]] == ["admin"]
