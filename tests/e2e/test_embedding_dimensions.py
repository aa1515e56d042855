"""The OpenAI embeddings configuration of docs/models.md against a real `ragchat serve`: with the default model
(text-embedding-3-small, 1536 dimensions natively) `dimensions` is sent so its vectors fit the default 384-wide
index; a server configured for another size than the database stores refuses to start, saying what to do."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from tests.support.api import signed_up, upload, wait_for_status
from tests.support.server_process import ServerProcess
from tests.support.slow_embeddings_server import SlowEmbeddingsServer


@pytest.fixture
async def embeddings() -> AsyncIterator[SlowEmbeddingsServer]:
    async with SlowEmbeddingsServer(delay_seconds=0.0, dimension=1536) as server:
        yield server


@pytest.fixture
def server_env(server_env: dict[str, str], embeddings: SlowEmbeddingsServer) -> dict[str, str]:
    return {**server_env, "RAGCHAT_EMBEDDER": "openai", "RAGCHAT_EMBEDDINGS_BASE_URL": embeddings.base_url,
            "RAGCHAT_EMBEDDINGS_API_KEY": "sk-test"}  # fmt: skip


async def test_openai_embeddings_fit_the_default_index_and_a_changed_size_stops_the_start(
    server: ServerProcess,
    http: httpx.AsyncClient,
    embeddings: SlowEmbeddingsServer,
    server_env: dict[str, str],
    tmp_path: Path,
) -> None:
    user = await signed_up(http)
    document = (await upload(http, user, "krill.md", b"# Krill\n\nAntarctic krill eat algae.", "text/markdown")).json()
    assert (await wait_for_status(http, user, document["id"]))["status"] == "ready"
    assert {(body["model"], body.get("dimensions")) for body in embeddings.bodies} == {("text-embedding-3-small", 384)}
    server.stop()

    log = tmp_path / "mismatch.log"
    mismatched = ServerProcess({**server_env, "RAGCHAT_EMBEDDING_DIMENSION": "1536"}, log_path=log)
    with pytest.raises(RuntimeError, match="exited"):
        mismatched.start()
    text = log.read_text()
    assert "RAGCHAT_EMBEDDING_DIMENSION is 1536" in text and "stores 384-dimensional vectors" in text
    assert "ragchat reindex --change-dimension" in text
