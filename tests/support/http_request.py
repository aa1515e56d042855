"""Reading one HTTP/1.1 request off a stream, for the tests' small loopback servers (model, embeddings)."""

from __future__ import annotations

import asyncio


async def read_request(reader: asyncio.StreamReader) -> tuple[str, bytes]:
    """The request line and the body (framed by Content-Length; the test clients never send chunked bodies)."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:] if line)}
    return lines[0], await reader.readexactly(int(headers.get("content-length", "0")))
