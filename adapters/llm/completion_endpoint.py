"""One OpenAI-compatible ``/chat/completions`` endpoint, asked over aiohttp directly rather than through the SDK.

Why not the SDK: sending one streaming request through it (its type-driven body transform, building an httpx2
request and URL, merging its default headers, then its bridge to aiohttp) cost about 1.1 ms of CPU per call on
the event loop every socket shares, against about 0.2 ms for the same request sent here; a burst of 200
questions paid that 200 times before the first of them reached the model. What the SDK gave is kept: the
same URL, bearer key, JSON body, timeouts (connect, read, pool), connection pool (1000 connections, idle ones
kept 5 s) and TLS context, and failures raised as the SDK's own exception types (``APIStatusError`` and its
subclasses with the parsed error body, ``APIConnectionError``, ``APITimeoutError``), so ``failures.classify``
reads them exactly as before.
"""

from __future__ import annotations

import json
import ssl
from collections.abc import Mapping
from typing import Any

import aiohttp
import httpx2
import msgspec
import openai

CONNECTIONS = 1000
KEEPALIVE_SECONDS = 5.0
"""The SDK's own pool limits (``openai.DEFAULT_CONNECTION_LIMITS`` and httpx's idle expiry)."""

CONNECTION_FAILURES = (aiohttp.ClientError, ssl.SSLError)
"""What aiohttp raises when the connection fails (its timeouts are ``aiohttp.ServerTimeoutError``, checked first)."""

_STATUS_ERRORS: Mapping[int, type[openai.APIStatusError]] = {
    400: openai.BadRequestError,
    401: openai.AuthenticationError,
    403: openai.PermissionDeniedError,
    404: openai.NotFoundError,
    409: openai.ConflictError,
    422: openai.UnprocessableEntityError,
    429: openai.RateLimitError,
}
_encoder = msgspec.json.Encoder()


class CompletionEndpoint:
    """``open`` sends one request and hands back the response with its body unread; the caller releases it.
    The HTTP session is made on first use, inside the running event loop, and closed by ``aclose``."""

    def __init__(
        self, *, base_url: str, api_key: str, connect_seconds: float, read_seconds: float, pool_seconds: float
    ) -> None:
        self.url = base_url.rstrip("/") + "/chat/completions"
        self.request = httpx2.Request("POST", self.url)
        """What the SDK's connection and timeout errors name (they require one)."""
        self._headers = {
            "Accept": "application/json",
            "Content-Type": "application/json",
            "Authorization": f"Bearer {api_key}",
            "User-Agent": f"AsyncOpenAI/Python {openai.__version__}",
        }
        self._timeout = aiohttp.ClientTimeout(
            sock_connect=connect_seconds, sock_read=read_seconds, connect=pool_seconds
        )
        self._tls: ssl.SSLContext | bool = httpx2.create_ssl_context() if self.url.startswith("https:") else True
        """Made here, at startup: loading the CA bundle takes milliseconds the first answer should not wait."""
        self._session: aiohttp.ClientSession | None = None

    async def open(self, body: dict[str, Any]) -> aiohttp.ClientResponse:
        """The response to ``body`` (a 2xx); raises the SDK's exception for a status error (body read, response
        released), a failed connection or a timeout."""
        try:
            response = await self._http().post(
                self.url, data=_encoder.encode(body), headers=self._headers, timeout=self._timeout
            )
        except aiohttp.ServerTimeoutError as exc:
            raise openai.APITimeoutError(request=self.request) from exc
        except CONNECTION_FAILURES as exc:
            raise openai.APIConnectionError(request=self.request) from exc
        if response.status < 400:
            return response
        try:
            content = await response.read()
        except CONNECTION_FAILURES:
            content = b""
        finally:
            response.release()
        raise self._status_error(response, content)

    def _status_error(self, response: aiohttp.ClientResponse, content: bytes) -> openai.APIStatusError:
        """As the SDK makes it (``_make_status_error_from_response``): the JSON body's ``error`` object (or the
        body, or its text), and its message in the exception's text."""
        text = content.decode(errors="replace").strip()
        message = f"Error code: {response.status}"
        body: object = text
        try:
            body = json.loads(text)
        except ValueError:
            pass
        data = body.get("error", body) if isinstance(body, dict) else body
        if isinstance(data, dict) and isinstance(data.get("message"), str) and data["message"]:
            message += f" - {data['message']}"
        http = httpx2.Response(
            response.status, headers=list(response.raw_headers), content=content, request=self.request
        )
        kind = _STATUS_ERRORS.get(
            response.status, openai.InternalServerError if response.status >= 500 else openai.APIStatusError
        )
        return kind(message, response=http, body=data)

    def _http(self) -> aiohttp.ClientSession:
        if self._session is None:
            connector = aiohttp.TCPConnector(limit=CONNECTIONS, keepalive_timeout=KEEPALIVE_SECONDS, ssl=self._tls)
            self._session = aiohttp.ClientSession(connector=connector)
        return self._session

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None
