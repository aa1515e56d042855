"""A small loopback web server for the URL-import tests: fixed answers per path, and a record of what was asked.

Plain asyncio, like the scripted model server, so a test can stall an answer or stream a body of any size.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from tests.support.http_request import LoopbackServer, read_request


@dataclass(frozen=True)
class Page:
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    chunked: bool = False
    """Sent without Content-Length, in 64 KiB chunks: the size limit must hold while reading."""
    stall: bool = False
    """Headers, then nothing until the client leaves."""


def redirect(location: str, status: int = 302) -> Page:
    return Page(status=status, headers={"Location": location}, content_type="text/plain")


class WebServer(LoopbackServer):
    def __init__(self) -> None:
        super().__init__()
        self.pages: dict[str, Page] = {}
        self.requests: list[str] = []
        """The request line of every request that arrived."""
        self._arrived = asyncio.Condition()

    async def wait_for_requests(self, count: int) -> None:
        """Returns once ``count`` requests have arrived (wrap in ``asyncio.timeout`` to bound the wait)."""
        async with self._arrived:
            await self._arrived.wait_for(lambda: len(self.requests) >= count)

    def url(self, path: str = "/", host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            request_line, _ = await read_request(reader)
            async with self._arrived:
                self.requests.append(request_line)
                self._arrived.notify_all()
            path = request_line.split(" ")[1]
            page = self.pages.get(path, Page(body=b"not found", status=404, content_type="text/plain"))
            headers = {"Content-Type": page.content_type, "Connection": "close", **page.headers}
            if page.chunked:
                headers["Transfer-Encoding"] = "chunked"
            elif not page.stall:
                headers["Content-Length"] = str(len(page.body))
            head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
            writer.write(f"HTTP/1.1 {page.status} Test\r\n{head}\r\n".encode())
            await writer.drain()
            if page.stall:
                await reader.read()  # until the client gives up
            elif page.chunked:
                for start in range(0, len(page.body), 65536):
                    piece = page.body[start : start + 65536]
                    writer.write(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
                    await writer.drain()
                writer.write(b"0\r\n\r\n")
            else:
                writer.write(page.body)
            await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()
