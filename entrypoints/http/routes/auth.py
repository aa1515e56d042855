from __future__ import annotations

from typing import Any

from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, Request, Response, get, post
from litestar.params import JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_204_NO_CONTENT

from application.accounts.auth_throttle import AuthThrottle
from application.bus import CommandBus
from application.commands import GetMe, Login, Logout, RefreshTokens, RegisterUser
from application.use_cases.accounts.token_pair import TokenPair
from domain.errors import InvalidToken
from domain.passwords import MIN_PASSWORD_LENGTH
from domain.signup import SignupMode
from entrypoints.http.auth import AUTHENTICATED, CurrentUserId
from entrypoints.http.client_address import ClientAddressResolver
from entrypoints.http.openapi import problems
from entrypoints.http.refresh_cookie import (
    AccessGrant,
    clearing_session_cookie,
    cookie_token,
    wants_cookie,
    with_session_cookie,
)
from entrypoints.http.schemas.auth import Credentials, RefreshRequest, SignUp, SignupInfo, UserOut
from entrypoints.settings import Settings


class AuthController(Controller):
    path = "/auth"
    tags = ["auth"]

    @post("/register", status_code=HTTP_201_CREATED, responses=problems(409, 429))
    @inject
    async def register(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[SignUp],
        bus: FromDishka[CommandBus],
        throttle: FromDishka[AuthThrottle],
        addresses: FromDishka[ClientAddressResolver],
    ) -> UserOut:
        await throttle.check_register(addresses.resolve(request))
        command = RegisterUser(email=data.email, password=data.password, invite_code=data.invite_code)
        return UserOut.of(await bus.dispatch(command))

    @get("/signup")
    @inject
    async def signup(self, mode: FromDishka[SignupMode]) -> SignupInfo:
        """What the sign-up form should offer: open, invitation code, or closed."""
        return SignupInfo(mode=mode, min_password_length=MIN_PASSWORD_LENGTH)

    @post("/login", status_code=HTTP_200_OK, responses=problems(401, 429))
    @inject
    async def login(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[Credentials],
        bus: FromDishka[CommandBus],
        throttle: FromDishka[AuthThrottle],
        addresses: FromDishka[ClientAddressResolver],
        settings: FromDishka[Settings],
    ) -> Response[TokenPair | AccessGrant]:
        """With ``X-Ragchat-Session: cookie`` (the web UI) the refresh token is set as a cookie instead."""
        async with throttle.login_attempt(addresses.resolve(request), data.email):
            pair: TokenPair = await bus.dispatch(Login(email=data.email, password=data.password))
        if wants_cookie(request):
            return with_session_cookie(pair, request, addresses, settings.refresh_token_ttl_seconds)
        return Response(pair)

    @post("/refresh", status_code=HTTP_200_OK, responses=problems(401, 403))
    @inject
    async def refresh(
        self,
        request: Request[Any, Any, Any],
        bus: FromDishka[CommandBus],
        addresses: FromDishka[ClientAddressResolver],
        settings: FromDishka[Settings],
        data: JSONBody[RefreshRequest | None] = None,
    ) -> Response[TokenPair | AccessGrant]:
        """A body ``{"refresh_token"}`` refreshes by JSON; no body refreshes the cookie session (and rotates
        the cookie)."""
        if data is not None:
            return Response(await bus.dispatch(RefreshTokens(refresh_token=data.refresh_token)))
        token = cookie_token(request, settings.allowed_origins)
        if token is None:
            raise InvalidToken("not signed in")
        pair: TokenPair = await bus.dispatch(RefreshTokens(refresh_token=token))
        return with_session_cookie(pair, request, addresses, settings.refresh_token_ttl_seconds)

    @post("/logout", status_code=HTTP_204_NO_CONTENT, responses=problems(401, 403))
    @inject
    async def logout(
        self,
        request: Request[Any, Any, Any],
        bus: FromDishka[CommandBus],
        addresses: FromDishka[ClientAddressResolver],
        settings: FromDishka[Settings],
        data: JSONBody[RefreshRequest | None] = None,
    ) -> Response[None]:
        """Revokes the token's family; without a body, the cookie session's, and clears the cookie."""
        if data is not None:
            await bus.dispatch(Logout(refresh_token=data.refresh_token))
            return Response(None, status_code=HTTP_204_NO_CONTENT)
        token = cookie_token(request, settings.allowed_origins)
        if token is not None:
            await bus.dispatch(Logout(refresh_token=token))
        return clearing_session_cookie(request, addresses)


class MeController(Controller):
    path = "/me"
    tags = ["auth"]
    dependencies = AUTHENTICATED

    @get("/")
    @inject
    async def me(self, user_id: CurrentUserId, bus: FromDishka[CommandBus]) -> UserOut:
        return UserOut.of(await bus.dispatch(GetMe(user_id=user_id)))
