"""Sign-in limits on a real server: a login flood from one address gets 429 while the account's owner, from
another address (a second loopback address, or a client named by a trusted proxy), still signs in."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx

from tests.support.api import signed_up
from tests.support.server_process import ServerProcess

FLOOD = 40


async def _flood(client: httpx.AsyncClient, email: str, forwarded_for: list[str] | None = None) -> list[int]:
    wrong = {"email": email, "password": "not the password"}
    headers = [{"X-Forwarded-For": hop} for hop in forwarded_for] if forwarded_for else [{}] * FLOOD
    replies = await asyncio.gather(*(client.post("/auth/login", json=wrong, headers=h) for h in headers))
    return [reply.status_code for reply in replies]


async def test_a_login_flood_is_refused_and_the_owner_signs_in_from_another_address(
    server_env: dict[str, str], tmp_path: Path
) -> None:
    server_env["RAGCHAT_LOGIN_ATTEMPTS_PER_ADDRESS"] = "10"
    server = ServerProcess(server_env, log_path=tmp_path / "server.log").start()
    other = httpx.AsyncHTTPTransport(local_address="127.0.0.2")
    try:
        async with (
            httpx.AsyncClient(base_url=server.url, timeout=60) as attacker,
            httpx.AsyncClient(base_url=server.url, timeout=60, transport=other) as owner_client,
        ):
            owner = await signed_up(owner_client)
            # No proxy is trusted, so a made-up X-Forwarded-For per request does not spread the flood.
            statuses = await _flood(attacker, owner["email"], [f"198.51.100.{n}" for n in range(FLOOD)])
            assert statuses.count(429) >= FLOOD - 10 and set(statuses) <= {401, 429}, statuses
            refused = await attacker.post("/auth/login", json={"email": owner["email"], "password": "correct horse"})
            assert refused.status_code == 429
            assert int(refused.headers["retry-after"]) >= 1
            assert refused.json()["code"] == "rate_limited"

            signed_in = await owner_client.post(
                "/auth/login", json={"email": owner["email"], "password": "correct horse"}
            )
            assert signed_in.status_code == 200, signed_in.text
            assert signed_in.json()["access_token"]
    finally:
        server.stop()


async def test_behind_a_trusted_proxy_the_forwarded_address_is_limited(
    server_env: dict[str, str], tmp_path: Path
) -> None:
    server_env["RAGCHAT_LOGIN_ATTEMPTS_PER_ADDRESS"] = "5"
    server_env["RAGCHAT_TRUSTED_PROXIES"] = "127.0.0.1"
    server = ServerProcess(server_env, log_path=tmp_path / "server.log").start()
    try:
        async with httpx.AsyncClient(base_url=server.url, timeout=60) as proxy:
            owner = await signed_up(proxy)
            statuses = await _flood(proxy, owner["email"], ["203.0.113.66"] * FLOOD)
            assert statuses.count(429) >= FLOOD - 5, statuses
            credentials = {"email": owner["email"], "password": "correct horse"}
            # A client-forged first hop does not help the flooder: the proxy's own entry is what counts.
            forged = {"X-Forwarded-For": "198.51.100.9, 203.0.113.66"}
            assert (await proxy.post("/auth/login", json=credentials, headers=forged)).status_code == 429
            elsewhere = {"X-Forwarded-For": "198.51.100.9"}
            assert (await proxy.post("/auth/login", json=credentials, headers=elsewhere)).status_code == 200
    finally:
        server.stop()
