"""The OpenAI-compatible embedder over real HTTP against the tests' embeddings server, which (like OpenAI's
text-embedding-3 models) makes 1536-dimensional vectors unless a request asks for ``dimensions``."""

from __future__ import annotations

from collections.abc import AsyncIterator

import openai
import pytest

from adapters.embedding.openai_embedder import OpenAIEmbedder
from application.ports.embedder import EmbedderUnavailable
from entrypoints.settings_loading import load_settings
from tests.support.slow_embeddings_server import SlowEmbeddingsServer


@pytest.fixture
async def server() -> AsyncIterator[SlowEmbeddingsServer]:
    async with SlowEmbeddingsServer(delay_seconds=0.0, dimension=1536) as embeddings:
        yield embeddings


@pytest.fixture
async def client(server: SlowEmbeddingsServer) -> AsyncIterator[openai.AsyncOpenAI]:
    async with openai.AsyncOpenAI(base_url=server.base_url, api_key="unused", max_retries=0) as sdk:
        yield sdk


async def test_dimensions_are_sent_when_configured_and_shorten_the_vectors(
    server: SlowEmbeddingsServer, client: openai.AsyncOpenAI
) -> None:
    embedder = OpenAIEmbedder(client, "text-embedding-3-small", 384, send_dimensions=True)

    vectors = await embedder.embed_documents(["krill eat algae", "penguins eat krill"])

    assert [len(v) for v in vectors] == [384, 384]
    assert server.bodies[0]["dimensions"] == 384 and server.bodies[0]["model"] == "text-embedding-3-small"


async def test_a_size_mismatch_says_which_setting_to_change(
    server: SlowEmbeddingsServer, client: openai.AsyncOpenAI
) -> None:
    embedder = OpenAIEmbedder(client, "some-local-model", 384, send_dimensions=False)

    with pytest.raises(EmbedderUnavailable, match="1536-dimensional vectors but the index expects 384"):
        await embedder.embed_query("krill")
    assert "dimensions" not in server.bodies[0]


@pytest.mark.parametrize(
    ("environment", "sends"),
    [
        ({}, True),  # the default model, text-embedding-3-small, can shorten its vectors
        ({"RAGCHAT_EMBEDDING_MODEL": "text-embedding-3-large"}, True),
        ({"RAGCHAT_EMBEDDING_MODEL": "text-embedding-ada-002"}, False),
        ({"RAGCHAT_EMBEDDING_MODEL": "nomic-embed-text"}, False),
        ({"RAGCHAT_EMBEDDING_MODEL": "nomic-embed-text", "RAGCHAT_EMBEDDINGS_SEND_DIMENSIONS": "true"}, True),
        ({"RAGCHAT_EMBEDDINGS_SEND_DIMENSIONS": "false"}, False),
    ],
)
def test_when_dimensions_are_sent(environment: dict[str, str], sends: bool) -> None:
    assert load_settings({"RAGCHAT_EMBEDDER": "openai", **environment}).sends_dimensions is sends
