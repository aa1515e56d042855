"""The default mode, as `make serve` runs it: embedded PostgreSQL in the data folder; data survives a restart."""

from __future__ import annotations

from pathlib import Path

import httpx

from tests.support.api import bearer, signed_up, upload, wait_for_status
from tests.support.server_process import ServerProcess


async def test_embedded_server_keeps_everything_across_a_restart(data_dir: Path, tmp_path: Path) -> None:
    env = {"RAGCHAT_DATA_DIR": str(data_dir), "RAGCHAT_EMBEDDER": "hashing"}  # no DATABASE_URL, no secret
    server = ServerProcess(env, log_path=tmp_path / "first.log").start()
    try:
        async with httpx.AsyncClient(base_url=server.url, timeout=30) as http:
            user = await signed_up(http, email="keeper@example.com")
            doc = (await upload(http, user, "kept.md", b"# Kept\n\nThe embedded database keeps this text.")).json()
            assert (await wait_for_status(http, user, doc["id"]))["status"] == "ready"
            chat = (await http.post("/chats", headers=bearer(user), json={"title": "Kept chat"})).json()
            ready = (await http.get("/ready")).json()
            assert {c["name"]: c["detail"] for c in ready["checks"]}["chat_state"] == "in-process"
    finally:
        server.stop()

    server = ServerProcess(env, log_path=tmp_path / "second.log").start()
    try:
        async with httpx.AsyncClient(base_url=server.url, timeout=30) as http:
            # The old access token still works: the generated JWT secret is kept in the data folder too.
            assert (await http.get("/me", headers=bearer(user))).json()["email"] == "keeper@example.com"
            fresh = (
                await http.post("/auth/login", json={"email": "keeper@example.com", "password": "correct horse"})
            ).json()
            docs = (await http.get("/documents", headers=bearer(fresh))).json()["items"]
            assert [(d["id"], d["status"]) for d in docs] == [(doc["id"], "ready")]
            chats = (await http.get("/chats", headers=bearer(fresh))).json()["items"]
            assert [c["id"] for c in chats] == [chat["id"]]
            found = (await http.get("/search", params={"q": "embedded database"}, headers=bearer(fresh))).json()
            assert found["items"] and found["items"][0]["document_id"] == doc["id"]
    finally:
        server.stop()
    assert (data_dir / "postgres").is_dir() and (data_dir / "jwt-secret").is_file()
