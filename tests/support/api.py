"""Small helpers for driving the HTTP API in end-to-end tests."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import httpx


async def signed_up(
    client: httpx.AsyncClient, email: str | None = None, password: str = "correct horse"
) -> dict[str, str]:
    """Registers and logs in; returns ``{"email", "access_token", "refresh_token", "auth"}`` headers ready."""
    email = email or f"user-{uuid.uuid4().hex[:8]}@example.com"
    registered = await client.post("/auth/register", json={"email": email, "password": password})
    assert registered.status_code == 201, registered.text
    tokens = (await client.post("/auth/login", json={"email": email, "password": password})).json()
    return {"email": email, **tokens}


def bearer(user: dict[str, str]) -> dict[str, str]:
    return {"Authorization": f"Bearer {user['access_token']}"}


async def chat_history(client: httpx.AsyncClient, user: dict[str, str], chat_id: str) -> list[dict[str, Any]]:
    """The chat's newest page of stored messages, oldest first, as ``GET /chats/{id}`` gives them."""
    messages: list[dict[str, Any]] = (await client.get(f"/chats/{chat_id}", headers=bearer(user))).json()["messages"]
    return messages


async def upload(client: httpx.AsyncClient, user: dict[str, str], name: str, data: bytes,
                 content_type: str = "text/plain") -> httpx.Response:
    return await client.post("/documents", headers=bearer(user), files={"file": (name, data, content_type)})


async def wait_for_status(
    client: httpx.AsyncClient,
    user: dict[str, str],
    document_id: str,
    statuses: tuple[str, ...] = ("ready", "failed"),
    wait_seconds: float = 60.0,
) -> dict[str, object]:
    """Polls the document until it reaches one of ``statuses`` (the test fails on timeout, it never sleeps blind)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + wait_seconds
    while True:
        body: dict[str, object] = (await client.get(f"/documents/{document_id}", headers=bearer(user))).json()
        if body["status"] in statuses:
            return body
        assert loop.time() < deadline, f"document stayed {body['status']}"
        await asyncio.sleep(0.1)
