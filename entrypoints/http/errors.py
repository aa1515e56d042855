"""The one mapping from errors to what the edge answers: an HTTP status (as RFC 9457 problem details) or a
WebSocket ``error`` frame code. Used by the HTTP app and the WebSocket session alike.

5xx answers never carry the exception's text: the detail is logged with the request id instead.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from http import HTTPStatus
from typing import Any

import msgspec
from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, ValidationException

from application.errors import ModelInterrupted, ModelNotOffered
from application.retries import is_retryable
from domain import errors as e
from entrypoints.http.schemas.text import PATTERN_MESSAGES
from entrypoints.request_context import current_request_id

log = logging.getLogger(__name__)

# Most specific first: the first matching class wins.
HTTP_STATUS: list[tuple[type[e.DomainError], int]] = [
    (e.NotFound, 404),
    (e.InvalidCredentials, 401),
    (e.InvalidToken, 401),
    (e.AccountDisabled, 401),
    (e.Forbidden, 403),
    (e.UnsupportedDocumentType, 415),
    (e.DocumentTooLarge, 413),
    (e.RateLimited, 429),
    (e.InvalidInput, 400),
    (e.Conflict, 409),
    (e.InvalidTransition, 409),
    (e.PageUnavailable, 422),
    (ModelInterrupted, 502),
    (ModelNotOffered, 502),
    (e.ServiceUnavailable, 503),
]
PROBLEM_JSON = "application/problem+json"


class FieldError(msgspec.Struct, frozen=True):
    field: str
    message: str


class Problem(msgspec.Struct, frozen=True, omit_defaults=True):
    type: str
    title: str
    status: int
    detail: str
    code: str
    retryable: bool
    """Whether the same request may succeed later (a busy or failing server, a rate limit); false when only a
    different request can (bad input, a file too large or of an unsupported type), so a client offers no Retry."""
    request_id: str | None = None
    errors: list[FieldError] | None = None
    document_id: str | None = None
    """``duplicate_document``: the copy already uploaded, so a client can link to it."""


def status_for(exc: e.DomainError) -> int:
    for cls, status in HTTP_STATUS:
        if isinstance(exc, cls):
            return status
    return 400


RETRYABLE_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})


def _problem(
    status: int,
    code: str,
    detail: str,
    errors: list[FieldError] | None = None,
    headers: dict[str, str] | None = None,
    document_id: str | None = None,
    retryable: bool | None = None,
) -> Response[Problem]:
    title = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Error"
    headers = {**(headers or {}), **({"WWW-Authenticate": "Bearer"} if status == 401 else {})}
    return Response(
        Problem(
            type=f"urn:ragchat:problem:{code}",
            title=title,
            status=status,
            detail=detail,
            code=code,
            retryable=status in RETRYABLE_STATUSES if retryable is None else retryable,
            request_id=current_request_id(),
            errors=errors,
            document_id=document_id,
        ),
        status_code=status,
        media_type=PROBLEM_JSON,
        headers=headers,
    )


def domain_error_handler(_: Request[Any, Any, Any], exc: e.DomainError) -> Response[Problem]:
    field = getattr(exc, "field", None)
    errors = [FieldError(field=field, message=exc.message)] if field else None
    document_id = str(exc.document_id) if isinstance(exc, e.DuplicateDocument) else None
    response = _problem(
        status_for(exc), exc.code, exc.message, errors, document_id=document_id, retryable=is_retryable(exc)
    )
    if isinstance(exc, e.RateLimited):
        response.headers["Retry-After"] = str(max(1, round(exc.retry_after_seconds)))
    return response


_MSGSPEC_PATH = re.compile(r"at `\$\.([^`]+)`")
_MSGSPEC_MISSING = re.compile(r"missing required field `([^`]+)`")


def _field_of(key: str, message: str) -> str:
    """Litestar names the whole body ``data``; msgspec's message names the field inside it."""
    if key in ("", "data", "body"):
        found = _MSGSPEC_MISSING.search(message) or _MSGSPEC_PATH.search(message)
        return found.group(1) if found else "body"
    return key


def _readable(message: str) -> str:
    """msgspec names a failed pattern by its regular expression; say what the rule is instead."""
    for pattern, meaning in PATTERN_MESSAGES.items():
        if pattern in message or pattern.replace("\\", "\\\\") in message:
            return meaning
    return message


def validation_error_handler(_: Request[Any, Any, Any], exc: ValidationException) -> Response[Problem]:
    errors = []
    for item in exc.extra if isinstance(exc.extra, list) else []:
        if isinstance(item, dict):
            message = str(item.get("message", "invalid"))
            field = _field_of(str(item.get("key") or ""), message)
            errors.append(FieldError(field=field, message=_readable(message)))
    detail = "; ".join(f"{err.field}: {err.message}" for err in errors) or str(exc.detail)
    return _problem(400, "invalid_request", detail, errors or None)


def http_error_handler(_: Request[Any, Any, Any], exc: HTTPException) -> Response[Problem]:
    status = exc.status_code
    if status >= 500:
        log.error("http error", extra={"status": status, "error": str(exc.detail)})
        return _problem(status, "internal_error", "the server could not complete the request")
    code = {
        401: "unauthorized",
        403: "forbidden",
        404: "not_found",
        405: "method_not_allowed",
        413: "payload_too_large",
        415: "unsupported_media_type",
    }.get(status, "bad_request")
    return _problem(status, code, str(exc.detail), headers=exc.headers)  # e.g. a 405's Allow


def body_too_large_handler(limit_bytes: int) -> Callable[[Request[Any, Any, Any], HTTPException], Response[Problem]]:
    """The framework refuses an upload body over the limit before any use case sees it; say the limit as the
    use case does (``DocumentTooLarge``) instead of the bare reason phrase."""

    def handler(_: Request[Any, Any, Any], exc: HTTPException) -> Response[Problem]:
        if exc.status_code != 413:
            return http_error_handler(_, exc)
        too_large = e.DocumentTooLarge.over(limit_bytes)
        return _problem(413, too_large.code, too_large.message, retryable=False)

    return handler


def unexpected_error_handler(_: Request[Any, Any, Any], exc: Exception) -> Response[Problem]:
    log.exception("unhandled error", exc_info=exc)
    return _problem(500, "internal_error", "the server could not complete the request")


EXCEPTION_HANDLERS = {
    e.DomainError: domain_error_handler,
    ValidationException: validation_error_handler,
    HTTPException: http_error_handler,
    Exception: unexpected_error_handler,
}
MEDIA_TYPE = MediaType.JSON
