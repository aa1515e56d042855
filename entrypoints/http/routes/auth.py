from __future__ import annotations

from typing import Any

from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, Request, get, post
from litestar.params import JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_204_NO_CONTENT

from application.accounts.auth_throttle import AuthThrottle
from application.bus import CommandBus
from application.commands import GetMe, Login, Logout, RefreshTokens, RegisterUser
from application.use_cases.accounts.token_pair import TokenPair
from domain.passwords import MIN_PASSWORD_LENGTH
from domain.signup import SignupMode
from entrypoints.http.auth import AUTHENTICATED, CurrentUserId
from entrypoints.http.client_address import ClientAddressResolver
from entrypoints.http.schemas.auth import Credentials, RefreshRequest, SignUp, SignupInfo, UserOut


class AuthController(Controller):
    path = "/auth"
    tags = ["auth"]

    @post("/register", status_code=HTTP_201_CREATED)
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

    @post("/login", status_code=HTTP_200_OK)
    @inject
    async def login(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[Credentials],
        bus: FromDishka[CommandBus],
        throttle: FromDishka[AuthThrottle],
        addresses: FromDishka[ClientAddressResolver],
    ) -> TokenPair:
        async with throttle.login_attempt(addresses.resolve(request), data.email):
            pair: TokenPair = await bus.dispatch(Login(email=data.email, password=data.password))
        return pair

    @post("/refresh", status_code=HTTP_200_OK)
    @inject
    async def refresh(self, data: JSONBody[RefreshRequest], bus: FromDishka[CommandBus]) -> TokenPair:
        pair: TokenPair = await bus.dispatch(RefreshTokens(refresh_token=data.refresh_token))
        return pair

    @post("/logout", status_code=HTTP_204_NO_CONTENT)
    @inject
    async def logout(self, data: JSONBody[RefreshRequest], bus: FromDishka[CommandBus]) -> None:
        await bus.dispatch(Logout(refresh_token=data.refresh_token))


class MeController(Controller):
    path = "/me"
    tags = ["auth"]
    dependencies = AUTHENTICATED

    @get("/")
    @inject
    async def me(self, user_id: CurrentUserId, bus: FromDishka[CommandBus]) -> UserOut:
        return UserOut.of(await bus.dispatch(GetMe(user_id=user_id)))
