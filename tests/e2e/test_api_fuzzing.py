"""Schemathesis against a real server with a signed-in user: every operation, every check (no 5xx, every status,
media type, header and body as documented, schema-valid input accepted and invalid input refused), in bounded
examples with a fixed seed so a run takes about a minute and a failure reproduces.

Rules JSON Schema cannot express are listed, per operation, in ``tests/e2e/schemathesis.toml``.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.support.api import signed_up
from tests.support.server_process import ServerProcess

SCHEMATHESIS = str(Path(sys.executable).parent / "schemathesis")
CONFIG = Path(__file__).with_name("schemathesis.toml")
NO_AUTH_LIMITS = {
    "RAGCHAT_LOGIN_ATTEMPTS_PER_ADDRESS": "0",
    "RAGCHAT_REGISTER_ATTEMPTS_PER_ADDRESS": "0",
    "RAGCHAT_LOGIN_FAILURES_PER_ACCOUNT_AND_ADDRESS": "0",
    "RAGCHAT_LOGIN_FAILURES_PER_ACCOUNT": "0",
}


@pytest.fixture
def server_env(server_env: dict[str, str]) -> dict[str, str]:
    """Sign-up and login limits off: they would answer most generated sign-ups with a (documented) 429."""
    return {**server_env, **NO_AUTH_LIMITS}


async def test_the_api_conforms_to_its_schema(server: ServerProcess, http: httpx.AsyncClient, tmp_path: Path) -> None:
    user = await signed_up(http)
    argv = [
        SCHEMATHESIS, "--config-file", str(CONFIG), "--no-color",
        "run", f"{server.url}/schema/openapi.json",
        "--header", f"Authorization: Bearer {user['access_token']}",
        "--checks", "all",
        "--max-examples", "10",
        "--seed", "1",
        "--workers", "1",  # CPython 3.11's parser is not safe for Hypothesis' lambda introspection across threads
        "--request-timeout", "30",
        "--report", "junit", "--report-dir", str(tmp_path),
    ]  # fmt: skip
    run = await asyncio.to_thread(
        subprocess.run, argv, capture_output=True, text=True, timeout=600, cwd=tmp_path, check=False
    )
    report = run.stdout[-12_000:] + run.stderr[-4_000:]
    assert run.returncode == 0, report
    assert " passed" in run.stdout and "failures" not in run.stdout.split("SUMMARY")[-1], report
