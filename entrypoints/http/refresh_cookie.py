"""The web UI's session: its refresh token lives in an ``HttpOnly``, ``SameSite=Strict`` cookie scoped to
``/auth``, so every tab of a browser shares one sign-in and no script can read the token. The access token
stays in each tab's memory. API clients keep the JSON flow (tokens in bodies); a client opts into the cookie by
sending ``X-Ragchat-Session: cookie`` when it signs in, a header no cross-site form can send.

Refreshing or signing out by cookie needs an ``Origin`` that is this server (or an allowed origin): with
SameSite that makes the cookie useless to other sites even in browsers that relax SameSite.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import msgspec
from litestar import Request, Response
from litestar.datastructures import Cookie
from litestar.exceptions import PermissionDeniedException

from application.use_cases.accounts.token_pair import TokenPair
from entrypoints.http.client_address import ClientAddressResolver

REFRESH_COOKIE = "ragchat_refresh"
COOKIE_PATH = "/auth"
SESSION_HEADER = "x-ragchat-session"


class AccessGrant(msgspec.Struct, frozen=True):
    """What a cookie session gets in the body: the access token only (the refresh token is in the cookie)."""

    access_token: str
    expires_in: int
    token_type: str = "bearer"


def wants_cookie(request: Request[Any, Any, Any]) -> bool:
    return request.headers.get(SESSION_HEADER, "").lower() == "cookie"


def cookie_token(request: Request[Any, Any, Any], allowed_origins: list[str]) -> str | None:
    """The refresh token from the cookie, after the origin check; raises ``PermissionDeniedException`` (403)
    for a request that does not come from this site's own pages."""
    origin = request.headers.get("origin")
    if not origin or not (origin in allowed_origins or urlsplit(origin).netloc == request.headers.get("host")):
        raise PermissionDeniedException("a cookie session can only be used from this site's own pages")
    return request.cookies.get(REFRESH_COOKIE) or None


def _secure(request: Request[Any, Any, Any], addresses: ClientAddressResolver) -> bool:
    return request.url.scheme == "https" or addresses.forwarded_proto(request) == "https"


def with_session_cookie(
    pair: TokenPair, request: Request[Any, Any, Any], addresses: ClientAddressResolver, max_age: int
) -> Response[Any]:
    cookie = Cookie(
        key=REFRESH_COOKIE,
        value=pair.refresh_token,
        max_age=max_age,
        path=COOKIE_PATH,
        httponly=True,
        samesite="strict",
        secure=_secure(request, addresses),
    )
    grant = AccessGrant(access_token=pair.access_token, expires_in=pair.expires_in, token_type=pair.token_type)
    return Response(grant, cookies=[cookie])


def clearing_session_cookie(request: Request[Any, Any, Any], addresses: ClientAddressResolver) -> Response[None]:
    cookie = Cookie(
        key=REFRESH_COOKIE,
        value="",
        max_age=0,
        expires=0,
        path=COOKIE_PATH,
        httponly=True,
        samesite="strict",
        secure=_secure(request, addresses),
    )
    return Response(None, status_code=204, cookies=[cookie])
