from __future__ import annotations

import math
import uuid
from collections.abc import Sequence

import openai

from application.ports.embedder import EmbedderUnavailable

MAX_INPUTS_PER_REQUEST = 256  # well under the API's 2048, so one request stays small and quick to retry


class OpenAIEmbedder:
    """Any OpenAI-compatible ``/v1/embeddings`` endpoint (OpenAI, vLLM, llama.cpp, Ollama, TEI, ...).

    The SDK retries transient failures itself (``max_retries``); what still fails becomes
    ``EmbedderUnavailable``. Vectors are re-normalised because not every server returns unit vectors.
    """

    def __init__(self, client: openai.AsyncOpenAI, model: str, dimension: int,
                 send_dimensions: bool = False) -> None:
        self._client = client
        self._model = model
        self._dimension = dimension
        self._send_dimensions = send_dimensions

    @property
    def dimension(self) -> int:
        return self._dimension

    async def embed_documents(
        self, texts: Sequence[str], *, owner_id: uuid.UUID | None = None
    ) -> list[list[float]]:
        vectors: list[list[float]] = []
        for start in range(0, len(texts), MAX_INPUTS_PER_REQUEST):
            vectors.extend(await self._embed(list(texts[start : start + MAX_INPUTS_PER_REQUEST])))
        return vectors

    async def embed_query(self, text: str) -> list[float]:
        return (await self._embed([text]))[0]

    async def _embed(self, texts: list[str]) -> list[list[float]]:
        inputs = [text if text.strip() else " " for text in texts]  # some servers reject empty strings
        try:
            if self._send_dimensions:
                response = await self._client.embeddings.create(
                    model=self._model, input=inputs, dimensions=self._dimension
                )
            else:
                response = await self._client.embeddings.create(model=self._model, input=inputs)
        except openai.OpenAIError as exc:
            raise EmbedderUnavailable(f"the embeddings endpoint failed: {type(exc).__name__}") from exc
        rows = sorted(response.data, key=lambda item: item.index)
        if len(rows) != len(inputs):
            raise EmbedderUnavailable(f"the embeddings endpoint sent {len(rows)} vectors for {len(inputs)}")
        vectors = []
        for row in rows:
            vector = [float(v) for v in row.embedding]
            if len(vector) != self._dimension:
                raise EmbedderUnavailable(
                    f"the embeddings endpoint returns {len(vector)}-dimensional vectors but the index "
                    f"expects {self._dimension}; set RAGCHAT_EMBEDDING_DIMENSION to match"
                )
            norm = math.sqrt(sum(v * v for v in vector)) or 1.0
            vectors.append([v / norm for v in vector])
        return vectors
