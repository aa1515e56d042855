"""The persistence contract: the same tests run against the in-memory twins and the PostgreSQL adapters."""

from __future__ import annotations

import pytest

from tests.contract.persistence import OpenRequest, memory_backend, postgres_backend


@pytest.fixture(params=["memory", "postgres"])
def open_request(request: pytest.FixtureRequest) -> OpenRequest:
    if request.param == "memory":
        return memory_backend()
    return postgres_backend(request.getfixturevalue("pg_engine"))


# The ChunkIndex contract's backends (memory twin and PostgreSQL + pgvector), as the `index_backend` fixture.
from tests.contract.chunk_index_backends import index_backend  # noqa: E402, F401
