"""The `ragchat` command against a real database: migrate, create-user, then the account works over HTTP."""

from __future__ import annotations

import os
import subprocess

import httpx

from tests.e2e.conftest import external_services_env
from tests.support.server_process import RAGCHAT, ServerProcess


def _ragchat(env: dict[str, str], *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [RAGCHAT, *args], env={**os.environ, **env}, input=stdin, capture_output=True, text=True, timeout=120
    )


def test_migrate_create_user_and_sign_in(pg_url: str, data_dir, tmp_path) -> None:  # type: ignore[no-untyped-def]
    env = external_services_env(pg_url, RAGCHAT_DATA_DIR=str(data_dir))
    assert _ragchat(env, "migrate").returncode == 0
    created = _ragchat(env, "create-user", "ops@example.com", "--password-stdin", stdin="a long password\n")
    assert created.returncode == 0, created.stderr
    again = _ragchat(env, "create-user", "OPS@example.com", "--password-stdin", stdin="a long password\n")
    assert again.returncode == 1 and "already" in again.stderr.lower()
    bad = _ragchat({**env, "RAGCHAT_PORT": "eighty"}, "migrate")
    assert bad.returncode == 2 and "RAGCHAT_PORT" in bad.stderr

    server = ServerProcess(env, log_path=tmp_path / "server.log").start()
    try:
        login = httpx.post(f"{server.url}/auth/login", json={"email": "ops@example.com", "password": "a long password"})
        assert login.status_code == 200 and login.json()["token_type"] == "bearer"
    finally:
        server.stop()
