"""Commands of accounts: sign-up, sign-in, tokens."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from application.commands.base import Command, Query
from domain.users import User

if TYPE_CHECKING:  # results named in quotes in the bases below (ruff does not read those: noqa F401)
    from application.use_cases.accounts.token_pair import TokenPair  # noqa: F401


class RegisterUser(Command[User], frozen=True, kw_only=True):
    """A sign-up. ``by_operator`` is set only by the CLI (someone with the server's shell): it bypasses the
    sign-up mode, so a closed or invite-only server can still get its first account."""

    email: str
    password: str
    invite_code: str | None = None
    by_operator: bool = False


class Login(Command["TokenPair"], frozen=True, kw_only=True):
    email: str
    password: str


class RefreshTokens(Command["TokenPair"], frozen=True, kw_only=True):
    refresh_token: str


class Logout(Command[None], frozen=True, kw_only=True):
    refresh_token: str


class GetMe(Query[User], frozen=True, kw_only=True):
    user_id: uuid.UUID


class FindInactiveAccounts(Command[frozenset[uuid.UUID]], frozen=True, kw_only=True):
    """Which of these accounts are disabled or deleted: the open sockets' periodic check, for all at once."""

    user_ids: frozenset[uuid.UUID]
