from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from entrypoints.http.app import create_app
from tests.support.memory_app import memory_container, memory_settings

PASSWORD = "correct horse battery"


@pytest.fixture
async def http() -> AsyncIterator[AsyncTestClient[Any]]:
    """The real Litestar app on the in-memory twins."""
    app = create_app(memory_container(), memory_settings())
    async with AsyncTestClient(app) as client:
        yield client


async def sign_in(http: AsyncTestClient[Any], email: str = "edge@example.com") -> dict[str, str]:
    credentials = {"email": email, "password": PASSWORD}
    assert (await http.post("/auth/register", json=credentials)).status_code == 201
    token = (await http.post("/auth/login", json=credentials)).json()["access_token"]
    return {"Authorization": f"Bearer {token}"}
