"""The tests' small loopback HTTP servers (model, embeddings, web pages): listening, and reading one request."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Self


async def read_request(reader: asyncio.StreamReader) -> tuple[str, bytes]:
    """The request line and the body (framed by Content-Length; the test clients never send chunked bodies)."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:] if line)}
    return lines[0], await reader.readexactly(int(headers.get("content-length", "0")))


class LoopbackServer:
    """Listens on 127.0.0.1 while inside ``async with`` (``port`` 0: a free one, known once entered); a subclass
    answers each connection in ``_handle``."""

    backlog = 100

    def __init__(self, port: int = 0) -> None:
        self.port = port
        self._server: asyncio.Server | None = None

    async def __aenter__(self) -> Self:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", self.port, backlog=self.backlog)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._server is not None
        self._server.close()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self._server.wait_closed(), 2)

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        raise NotImplementedError
