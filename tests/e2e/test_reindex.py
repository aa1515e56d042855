"""Re-indexing with the current embedder: the administrator's endpoint (403 for anyone else) over real HTTP, and
``ragchat reindex`` after the embedder's dimension changed (refused without the flag, searchable after)."""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Any

import httpx

from tests.e2e.conftest import external_services_env
from tests.support.api import bearer, signed_up, upload, wait_for_status
from tests.support.cli import ragchat_in_process as ragchat

GUIDE = b"# Field guide\n\n## Penguins\n\nEmperor penguins breed in the Antarctic winter and huddle against the wind.\n"


async def _reindex_done(http: httpx.AsyncClient, admin: dict[str, str], wait_seconds: float = 120.0) -> dict[str, Any]:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + wait_seconds
    while True:
        progress: dict[str, Any] = (await http.get("/admin/reindex", headers=bearer(admin))).json()
        if progress["queued"] == 0 and progress["running"] == 0:
            return progress
        assert loop.time() < deadline, f"re-index still running: {progress}"
        await asyncio.sleep(0.2)


async def test_only_the_administrator_reindexes_and_documents_stay_searchable(http: httpx.AsyncClient) -> None:
    admin = await signed_up(http)  # the first account is the administrator
    member = await signed_up(http)
    uploaded = await upload(http, member, "guide.md", GUIDE, "text/markdown")
    assert uploaded.status_code == 201, uploaded.text
    await wait_for_status(http, member, uploaded.json()["id"], ("ready",))

    for method in ("GET", "POST"):
        refused = await http.request(method, "/admin/reindex", headers=bearer(member))
        assert refused.status_code == 403 and refused.json()["code"] == "forbidden", refused.text
        assert (await http.request(method, "/admin/reindex")).status_code == 401

    started = await http.post("/admin/reindex", headers=bearer(admin))
    assert started.status_code == 202 and started.json() == {"documents": 1}, started.text
    assert await _reindex_done(http, admin) == {"queued": 0, "running": 0, "failed": 0}

    document = (await http.get(f"/documents/{uploaded.json()['id']}", headers=bearer(member))).json()
    assert document["status"] == "ready" and document["chunks_total"] >= 1
    found = await http.get("/search", params={"q": "emperor penguins", "mode": "vector"}, headers=bearer(member))
    assert "Emperor penguins breed" in found.json()["items"][0]["text"]
    member_id = (await http.get("/me", headers=bearer(member))).json()["id"]
    one_user = await http.post("/admin/reindex", headers=bearer(admin), json={"account_id": member_id})
    assert one_user.status_code == 202 and one_user.json() == {"documents": 1}
    unknown = await http.post("/admin/reindex", headers=bearer(admin), json={"account_id": str(uuid.uuid4())})
    assert unknown.status_code == 404
    await _reindex_done(http, admin)


def test_reindex_after_the_embedding_dimension_changed(pg_url: str, data_dir, tmp_path) -> None:  # type: ignore[no-untyped-def]
    env = external_services_env(pg_url, RAGCHAT_DATA_DIR=str(data_dir))
    assert ragchat(env, "create-user", "r@example.com", "--password-stdin", stdin="a long password\n").returncode == 0
    (tmp_path / "guide.md").write_bytes(GUIDE)
    assert ragchat(env, "ingest", str(tmp_path / "guide.md"), "--user", "r@example.com").returncode == 0

    smaller = {**env, "RAGCHAT_EMBEDDING_DIMENSION": "64"}  # another embedder setting: 64-dimensional vectors
    refused = ragchat(smaller, "reindex")
    assert refused.returncode == 1 and "384 dimensions" in refused.stderr and "--change-dimension" in refused.stderr

    done = ragchat(smaller, "reindex", "--change-dimension")
    assert done.returncode == 0, done.stdout + done.stderr
    events = [json.loads(line) for line in done.stdout.splitlines()]
    assert any(e["event"] == "note" and "from 384 to 64 dimensions" in e["message"] for e in events)
    summary = events[-1]
    assert (summary["event"], summary["total"], summary["indexed"], summary["failed"]) == ("summary", 1, 1, 0)

    found = ragchat(smaller, "search", "emperor penguins", "--user", "r@example.com", "--mode", "vector")
    assert found.returncode == 0, found.stderr
    assert "Emperor penguins breed" in json.loads(found.stdout.splitlines()[0])["text"]
    again = ragchat(smaller, "reindex", "--user", "r@example.com")  # dimension matches now: plain re-embed
    assert again.returncode == 0 and json.loads(again.stdout.splitlines()[-1])["indexed"] == 1
