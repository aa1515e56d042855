"""The `ragchat` command against a real database: migrate, create-user, then the account works over HTTP.
Commands run in this process (``tests.support.cli``) but for those that show what only a process of its own does."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import text

from adapters.postgres.engine import create_engine
from tests.e2e.conftest import external_services_env
from tests.support.cli import ragchat_in_process as ragchat
from tests.support.cli import ragchat_process
from tests.support.server_process import ServerProcess


def test_migrate_create_user_and_sign_in(pg_url: str, data_dir, tmp_path) -> None:  # type: ignore[no-untyped-def]
    env = external_services_env(pg_url, RAGCHAT_DATA_DIR=str(data_dir))
    assert ragchat_process(env, "migrate").returncode == 0  # the console script itself, in a process of its own
    created = ragchat(env, "create-user", "ops@example.com", "--password-stdin", stdin="a long password\n")
    assert created.returncode == 0, created.stderr
    again = ragchat_process(env, "create-user", "OPS@example.com", "--password-stdin", stdin="a long password\n")
    assert again.returncode == 1 and "already" in again.stderr.lower()
    bad = ragchat_process({**env, "RAGCHAT_PORT": "eighty"}, "migrate")
    assert bad.returncode == 2 and "RAGCHAT_PORT" in bad.stderr

    server = ServerProcess(env, log_path=tmp_path / "server.log").start()
    try:
        login = httpx.post(f"{server.url}/auth/login", json={"email": "ops@example.com", "password": "a long password"})
        assert login.status_code == 200 and login.json()["token_type"] == "bearer"
    finally:
        server.stop()


def test_users_commands_invite_list_disable_enable_delete(pg_url: str, data_dir, tmp_path) -> None:  # type: ignore[no-untyped-def]
    env = external_services_env(pg_url, RAGCHAT_DATA_DIR=str(data_dir), RAGCHAT_SIGNUP="invite")
    first_code = ragchat(env, "users", "invite")
    assert first_code.returncode == 0, first_code.stderr
    assert "single use" in first_code.stderr
    bob_code = ragchat(env, "users", "invite", "--email", "Bob@Example.com").stdout.strip()

    server = ServerProcess(env, log_path=tmp_path / "server.log").start()
    try:
        def sign_up(email: str, code: str) -> httpx.Response:
            body = {"email": email, "password": "a long password", "invite_code": code}
            return httpx.post(f"{server.url}/auth/register", json=body)

        def login(email: str) -> httpx.Response:
            return httpx.post(f"{server.url}/auth/login", json={"email": email, "password": "a long password"})

        admin = sign_up("ops@example.com", first_code.stdout.strip())
        assert admin.status_code == 201 and admin.json()["role"] == "admin"
        assert sign_up("eve@example.com", first_code.stdout.strip()).status_code == 400  # used
        assert sign_up("eve@example.com", bob_code).status_code == 400  # someone else's
        bob = sign_up("bob@example.com", bob_code)
        assert bob.status_code == 201 and bob.json()["role"] == "member"

        listed = ragchat(env, "users", "list")
        assert listed.returncode == 0, listed.stderr
        lines = listed.stdout.splitlines()
        assert lines[0].split() == ["ID", "EMAIL", "ROLE", "STATUS", "CREATED"]
        assert [line.split()[1:4] for line in lines[1:]] == [
            ["ops@example.com", "admin", "active"], ["bob@example.com", "member", "active"]]

        assert ragchat(env, "users", "disable", "BOB@example.com").returncode == 0
        assert login("bob@example.com").json()["code"] == "account_disabled"
        assert "disabled" in ragchat(env, "users", "list").stdout.splitlines()[2]
        assert ragchat(env, "users", "enable", bob.json()["id"]).returncode == 0
        assert login("bob@example.com").status_code == 200

        unconfirmed = ragchat(env, "users", "delete", "bob@example.com")
        assert unconfirmed.returncode == 1 and "--yes" in unconfirmed.stderr
        admin_delete = ragchat(env, "users", "delete", "ops@example.com", "--yes")
        assert admin_delete.returncode == 1 and "cannot be deleted" in admin_delete.stderr
        assert ragchat(env, "users", "delete", "bob@example.com", "--yes").returncode == 0
        assert login("bob@example.com").status_code == 401
        assert "bob@example.com" not in ragchat(env, "users", "list").stdout
        unknown = ragchat(env, "users", "disable", "nobody@example.com")
        assert unknown.returncode == 1 and "no account" in unknown.stderr
    finally:
        server.stop()


async def _index_names(pg_url: str) -> set[str]:
    engine = create_engine(pg_url)
    try:
        async with engine.connect() as connection:
            found = await connection.execute(text("SELECT indexname FROM pg_indexes WHERE tablename = 'chunks'"))
            return set(found.scalars())
    finally:
        await engine.dispose()


def _events(stdout: str) -> list[dict[str, Any]]:
    """Every line of the JSON form is one event object: no log lines or prose mixed in."""
    return [json.loads(line) for line in stdout.splitlines()]


def test_ingest_skips_files_already_uploaded(pg_url: str, data_dir, tmp_path) -> None:  # type: ignore[no-untyped-def]
    env = external_services_env(pg_url, RAGCHAT_DATA_DIR=str(data_dir))
    assert ragchat(env, "migrate").returncode == 0
    created = ragchat(env, "create-user", "cli@example.com", "--password-stdin", stdin="a long password\n")
    assert created.returncode == 0
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.md").write_text("# Penguins\n\nPenguins live in Antarctica.\n")
    (folder / "copy-of-a.md").write_text("# Penguins\n\nPenguins live in Antarctica.\n")
    first = ragchat(env, "ingest", str(folder), "--user", "cli@example.com", "--output", "text")
    assert first.returncode == 0, first.stdout + first.stderr
    assert "2 files: 1 indexed (1 passages), 1 skipped, 0 failed" in first.stdout
    assert "building the vector index" in first.stdout  # a load into an empty table builds the index at the end
    assert asyncio.run(_index_names(pg_url)) >= {"ix_chunks_embedding", "ix_chunks_owner_tsv"}
    again = ragchat(env, "ingest", str(folder / "a.md"), "--user", "cli@example.com", "--output", "text")
    assert again.returncode == 0 and "skipped" in again.stdout and "already uploaded as" in again.stdout


def test_ingest_reports_progress_and_every_skipped_file_with_its_reason(  # type: ignore[no-untyped-def]
    pg_url: str, data_dir, tmp_path
) -> None:
    env = external_services_env(pg_url, RAGCHAT_DATA_DIR=str(data_dir))
    assert ragchat(env, "create-user", "p@example.com", "--password-stdin", stdin="a long password\n").returncode == 0
    folder = tmp_path / "docs"
    (folder / ".git").mkdir(parents=True)
    long_text = "# Glaciers\n\n" + " ".join(f"ice{n} flows slowly downhill." for n in range(2000))
    (folder / "glaciers.md").write_text(long_text)
    (folder / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (folder / "data.json").write_text("{}")
    (folder / ".git" / "HEAD").write_text("ref: refs/heads/main\n")  # hidden: not counted at all

    done = ragchat(env, "ingest", str(folder), "--user", "p@example.com")  # not a terminal: JSON lines

    assert done.returncode == 0, done.stdout + done.stderr
    events = _events(done.stdout)
    assert events[0]["event"] == "start" and events[0]["total"] == 3
    items = {Path(e["name"]).name: e for e in events if e["event"] == "item"}
    assert items["photo.png"]["status"] == "skipped" and items["photo.png"]["detail"] == "unsupported type .png"
    assert items["data.json"]["status"] == "skipped" and items["data.json"]["detail"] == "unsupported type .json"
    assert items["glaciers.md"]["status"] == "indexed" and items["glaciers.md"]["passages"] > 16
    # passages are reported while the file is embedded, before the file itself is done
    progress = [e for e in events[: events.index(items["glaciers.md"])] if e["event"] == "progress"]
    assert progress and progress[0]["passages"] > 0 and progress[0]["passages"] < items["glaciers.md"]["passages"]
    summary = events[-1]
    assert summary["event"] == "summary"
    assert (summary["total"], summary["indexed"], summary["skipped"], summary["failed"]) == (3, 1, 2, 0)
    assert summary["text"].startswith("3 files: 1 indexed")
    assert "embedded PostgreSQL" not in done.stdout  # logs go to stderr, never into the events
