"""Sign-up over real HTTP: the password policy's messages, the first administrator and the sign-up modes."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest

from tests.support.api import bearer, signed_up
from tests.support.server_process import ServerProcess

GOOD = "correct horse battery"


async def test_a_common_password_is_refused_with_a_clear_message(http: httpx.AsyncClient) -> None:
    common = await http.post("/auth/register", json={"email": "a@example.com", "password": "Password123"})
    short = await http.post("/auth/register", json={"email": "a@example.com", "password": "12345678"})
    pattern = await http.post("/auth/register", json={"email": "a@example.com", "password": "abcdefghijkl"})

    assert common.status_code == 400 and common.headers["content-type"].startswith("application/problem+json")
    assert common.json()["errors"] == [
        {"field": "password", "message": "password is too easy to guess: it is one of the most common passwords"}
    ]
    assert short.json()["errors"] == [{"field": "password", "message": "password must be at least 10 characters"}]
    assert pattern.status_code == 400 and pattern.json()["errors"][0]["field"] == "password"
    assert "too easy to guess" in pattern.json()["detail"]
    info = (await http.get("/auth/signup")).json()
    assert info == {"mode": "open", "min_password_length": 10}


async def test_the_first_account_is_the_administrator(http: httpx.AsyncClient) -> None:
    first, second = await asyncio.gather(signed_up(http, password=GOOD), signed_up(http, password=GOOD))

    roles = sorted([(await http.get("/me", headers=bearer(u))).json()["role"] for u in (first, second)])

    assert roles == ["admin", "member"]


@pytest.fixture
def server_for(server_env: dict[str, str], tmp_path: Path):  # type: ignore[no-untyped-def]
    started: list[ServerProcess] = []

    def start(**env: str) -> ServerProcess:
        merged = {k: v for k, v in {**server_env, **env}.items() if v != ""}
        started.append(ServerProcess(merged, log_path=tmp_path / f"server{len(started)}.log").start())
        return started[-1]

    yield start
    for process in started:
        process.stop()


async def test_invite_is_the_default_with_an_external_database_and_closed_refuses_everyone(server_for) -> None:  # type: ignore[no-untyped-def]
    default = server_for(RAGCHAT_SIGNUP="")  # unset: DATABASE_URL is set, so sign-up needs an invitation
    async with httpx.AsyncClient(base_url=default.url, timeout=30) as http:
        assert (await http.get("/auth/signup")).json()["mode"] == "invite"
        refused = await http.post("/auth/register", json={"email": "a@example.com", "password": GOOD})
        assert refused.status_code == 403 and refused.json()["code"] == "invitation_required"
        made_up = await http.post(
            "/auth/register", json={"email": "a@example.com", "password": GOOD, "invite_code": "made-up"}
        )
        assert made_up.status_code == 400 and made_up.json()["errors"][0]["field"] == "invite_code"
    default.stop()

    closed = server_for(RAGCHAT_SIGNUP="closed")
    async with httpx.AsyncClient(base_url=closed.url, timeout=30) as http:
        assert (await http.get("/auth/signup")).json()["mode"] == "closed"
        refused = await http.post("/auth/register", json={"email": "a@example.com", "password": GOOD})
        assert refused.status_code == 403 and refused.json()["code"] == "signup_closed"
        assert "sign-up is closed" in refused.json()["detail"]
