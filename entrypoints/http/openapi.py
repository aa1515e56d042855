"""The OpenAPI document tells the truth about failures: every 4xx a route can answer is listed, as RFC 9457
problem details (``application/problem+json``), and request bodies say which fields they refuse.

Most statuses follow from a route's shape (authenticated → 401, path ids → 404, parameters or a body → 400, a body
→ 413 and 415), so they are added here for every route; a route lists the ones only it can give with
``responses=problems(...)``.
"""

from __future__ import annotations

from typing import Any, get_args

import msgspec
from litestar import Litestar
from litestar._openapi.plugin import OpenAPIPlugin
from litestar.handlers import HTTPRouteHandler
from litestar.openapi import ResponseSpec
from litestar.openapi.spec import Reference
from litestar.routes import HTTPRoute

from entrypoints.http.errors import PROBLEM_JSON, Problem

DESCRIPTIONS = {
    400: "Invalid input: the problem's `errors` name each field at fault",
    401: "Missing, invalid or expired credentials, or an account that no longer exists",
    403: "Refused for this caller or origin (e.g. a session cookie sent from another site)",
    404: "No such resource for this user (another user's is reported the same way)",
    409: "Conflicts with the current state (e.g. the email is already registered)",
    413: "The body is larger than this route accepts",
    415: "The body's media type is not one this route accepts",
    422: "Understood but not possible (e.g. the web page could not be fetched); `detail` says why",
    429: "Too many attempts: retry after the `Retry-After` seconds",
}
_NOT_PARAMETERS = frozenset({"data", "request", "socket", "state", "scope", "headers", "cookies", "query", "body"})


def problems(*statuses: int) -> dict[int, ResponseSpec]:
    return {
        status: ResponseSpec(
            data_container=Problem, media_type=PROBLEM_JSON, description=DESCRIPTIONS[status], generate_examples=False
        )
        for status in statuses
    }


def _statuses_by_shape(route: HTTPRoute, handler: HTTPRouteHandler) -> list[int]:
    names = set(handler.parsed_fn_signature.parameters) - _NOT_PARAMETERS - set(handler.resolve_dependencies())
    has_body = "data" in handler.parsed_fn_signature.parameters
    statuses = []
    if names or has_body:
        statuses.append(400)
    if "user_id" in handler.resolve_dependencies():
        statuses.append(401)
    if route.path_parameters:
        statuses.append(404)
    if has_body:
        statuses += [413, 415]
    return statuses


def _strict_bodies(handler: HTTPRouteHandler) -> set[str]:
    """Names of the request structs that refuse unknown fields (so the schema can say so)."""
    data = handler.parsed_fn_signature.parameters.get("data")
    if data is None:
        return set()
    candidates = [data.annotation, *get_args(data.annotation)]
    return {
        t.__name__
        for t in candidates
        if isinstance(t, type) and issubclass(t, msgspec.Struct) and t.__struct_config__.forbid_unknown_fields
    }


def _optional_body(handler: HTTPRouteHandler) -> bool:
    data = handler.parsed_fn_signature.parameters.get("data")
    return data is not None and data.has_default


def document_problems(app: Litestar) -> None:
    """Call once the app is built: completes each route's responses, then fixes up the generated document
    (strict bodies, optional bodies, empty 204s)."""
    strict: set[str] = set()
    optional_bodies: list[tuple[str, str]] = []
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for method, (handler, _) in route.route_handler_map.items():
            if method == "OPTIONS" or not handler.resolve_include_in_schema():
                continue
            handler.responses = {**problems(*_statuses_by_shape(route, handler)), **(handler.responses or {})}
            strict |= _strict_bodies(handler)
            if _optional_body(handler):
                optional_bodies.append((route.path_format, method.lower()))
    openapi = app.plugins.get(OpenAPIPlugin).provide_openapi()
    schemas: dict[str, Any] = openapi.components.schemas
    for name in strict & set(schemas):
        schemas[name].additional_properties = False
    paths = openapi.paths or {}
    for item in paths.values():
        for operation in (item.get, item.put, item.post, item.patch, item.delete):
            no_content = (operation.responses or {}).get("204") if operation is not None else None
            if no_content is not None and not isinstance(no_content, Reference):
                no_content.content = None  # a handler returning Response[None] is documented with a JSON body
    for path, verb in optional_bodies:
        operation = getattr(paths[path], verb)
        if operation.request_body is not None:
            operation.request_body.required = False
