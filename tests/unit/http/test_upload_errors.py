"""A refused upload says why in words a person can act on, and whether sending it again could ever help."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from entrypoints.http.app import create_app
from tests.support.memory_app import memory_container, memory_settings
from tests.unit.http.conftest import sign_in

LIMIT = 2 * 1024 * 1024


@pytest.fixture
async def small_limit() -> AsyncIterator[AsyncTestClient[Any]]:
    app = create_app(memory_container(max_upload_bytes=LIMIT), memory_settings(max_upload_bytes=LIMIT))
    async with AsyncTestClient(app) as client:
        yield client


@pytest.mark.parametrize("size", [LIMIT + 1, LIMIT * 3], ids=["just-over", "far-over-the-body-limit"])
async def test_a_file_over_the_limit_names_the_limit(small_limit: AsyncTestClient[Any], size: int) -> None:
    auth = await sign_in(small_limit)
    refused = await small_limit.post("/documents", headers=auth, files={"file": ("big.txt", b"a" * size, "text/plain")})
    assert refused.status_code == 413
    assert refused.headers["content-type"] == "application/problem+json"
    problem = refused.json()
    assert problem["code"] == "payload_too_large"
    assert problem["detail"] == "the file is larger than the 2 MiB limit"
    assert problem["retryable"] is False


async def test_permanent_failures_are_not_retryable_and_busy_ones_are(small_limit: AsyncTestClient[Any]) -> None:
    auth = await sign_in(small_limit)
    unsupported = await small_limit.post("/documents", headers=auth, files={"file": ("tool.exe", b"MZ", "x/y")})
    assert (unsupported.status_code, unsupported.json()["retryable"]) == (415, False)
    empty = await small_limit.post("/documents", headers=auth, files={"file": ("empty.txt", b"", "text/plain")})
    assert (empty.status_code, empty.json()["retryable"]) == (400, False)
    for _ in range(30):  # sign-in attempts are rate limited: a 429 may succeed later
        limited = await small_limit.post("/auth/login", json={"email": "nobody@example.com", "password": "wrong one"})
        if limited.status_code == 429:
            break
    assert (limited.status_code, limited.json()["retryable"]) == (429, True)
