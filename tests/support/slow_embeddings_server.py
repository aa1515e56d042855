"""An OpenAI-compatible ``/v1/embeddings`` endpoint that takes its time, so indexing lasts long enough for a
test to kill the worker in the middle of it. Vectors are the hashing embedder's (lexical, deterministic).

Like OpenAI's text-embedding-3 models it makes ``dimension``-sized vectors unless a request asks for
``dimensions``; every request body is kept in ``bodies``."""

from __future__ import annotations

import asyncio
import json

from adapters.embedding.hashing_embedder import HashingEmbedder
from tests.support.http_request import LoopbackServer, read_request


class SlowEmbeddingsServer(LoopbackServer):
    backlog = 512

    def __init__(self, delay_seconds: float = 0.05, dimension: int = 384) -> None:
        super().__init__()
        self.delay_seconds = delay_seconds
        self.dimension = dimension
        self.requests = 0
        self.bodies: list[dict[str, object]] = []

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:  # keep-alive: the SDK reuses its connections
                _, raw = await read_request(reader)
                body = json.loads(raw or b"{}")
                self.requests += 1
                self.bodies.append(body)
                inputs = body.get("input", [])
                texts = [inputs] if isinstance(inputs, str) else list(inputs)
                await asyncio.sleep(self.delay_seconds)
                size = body.get("dimensions") or self.dimension
                vectors = await HashingEmbedder(int(size)).embed_documents(texts)
                payload = json.dumps(
                    {
                        "object": "list",
                        "model": body.get("model", "slow"),
                        "data": [{"object": "embedding", "index": i, "embedding": v} for i, v in enumerate(vectors)],
                        "usage": {"prompt_tokens": 0, "total_tokens": 0},
                    }
                ).encode()
                writer.write(
                    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                    + f"Content-Length: {len(payload)}\r\n\r\n".encode()
                    + payload
                )
                await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            pass
        finally:
            writer.close()
