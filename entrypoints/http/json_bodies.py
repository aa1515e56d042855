"""JSON routes take JSON only, and only a little of it.

A browser sends ``text/plain``, form-encoded and multipart bodies cross-site without a CORS preflight; refusing
anything but ``application/json`` (415) before the body is read means a foreign page cannot make the server act on
a request it built (sign-up, login). The upload route is the only one that reads a large, non-JSON body.
"""

from __future__ import annotations

from typing import Any

from litestar.connection import ASGIConnection, Request
from litestar.enums import RequestEncodingType
from litestar.exceptions import HTTPException
from litestar.handlers import BaseRouteHandler, HTTPRouteHandler
from litestar.status_codes import HTTP_415_UNSUPPORTED_MEDIA_TYPE

JSON_MAX_BODY_BYTES = 64 * 1024
"""The biggest body any JSON route accepts (413 beyond); credentials and chat settings are far smaller."""
_BODYLESS_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "DELETE"})


def takes_json_body(handler: BaseRouteHandler) -> bool:
    data = handler.parsed_fn_signature.parameters.get("data")
    if data is None:
        return False
    media_type = getattr(data.kwarg_definition, "media_type", RequestEncodingType.JSON)
    return bool(media_type == RequestEncodingType.JSON)


def is_json_media_type(content_type: str) -> bool:
    media_type = content_type.partition(";")[0].strip().lower()
    return media_type == "application/json" or (media_type.startswith("application/") and media_type.endswith("+json"))


def _has_body(connection: ASGIConnection[Any, Any, Any, Any]) -> bool:
    length = connection.headers.get("content-length")
    if length is not None:
        return length.strip() != "0"
    return "transfer-encoding" in connection.headers


async def require_json_content_type(request: Request[Any, Any, Any]) -> None:
    """App-wide ``before_request`` hook (it runs before the body is read): a JSON route's body must say it is JSON.

    A hook, not a guard: Litestar copies the route handler for every guard call and runs a plain-function guard
    in a worker thread, which cost every request (``/health`` too) ~0.3 ms of CPU, a third of a refused login."""
    if request.scope["method"] in _BODYLESS_METHODS:
        return None
    handler = request.scope.get("route_handler")
    if not isinstance(handler, HTTPRouteHandler) or not takes_json_body(handler):
        return None
    content_type = request.headers.get("content-type")
    if content_type is None and not _has_body(request):
        return None  # no body at all: the route's own validation says what is missing
    if not is_json_media_type(content_type or ""):
        raise HTTPException(
            status_code=HTTP_415_UNSUPPORTED_MEDIA_TYPE, detail="send the body as JSON (Content-Type: application/json)"
        )
    return None
