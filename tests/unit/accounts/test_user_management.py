"""The administrator's user management through the bus: list, disable (tokens stop working), enable."""

from __future__ import annotations

import uuid

import pytest

from application.commands import (
    DisableUser,
    EnableUser,
    FindUserByEmail,
    GetMe,
    ListUsers,
    Login,
    RefreshTokens,
    RegisterUser,
)
from domain.errors import AccountDisabled, Forbidden, InvalidToken, NotFound
from domain.users import User
from tests.support.memory_app import MemoryApp, memory_app

GOOD = "correct horse battery"


async def _admin_and_member(app: MemoryApp) -> tuple[User, User]:
    admin = await app.dispatch(RegisterUser(email="admin@example.com", password=GOOD))
    member = await app.dispatch(RegisterUser(email="member@example.com", password=GOOD))
    return admin, member


async def test_the_administrator_lists_every_account_oldest_first() -> None:
    async with memory_app() as app:
        admin, member = await _admin_and_member(app)
        listed = await app.dispatch(ListUsers(actor_id=admin.id))
        by_operator = await app.dispatch(ListUsers(actor_id=None))
        with pytest.raises(Forbidden, match="only the administrator"):
            await app.dispatch(ListUsers(actor_id=member.id))

    assert [u.email for u in listed] == [u.email for u in by_operator] == ["admin@example.com", "member@example.com"]


async def test_the_operator_finds_an_account_by_email_in_any_case() -> None:
    async with memory_app() as app:
        admin, member = await _admin_and_member(app)
        found = await app.dispatch(FindUserByEmail(actor_id=None, email=" Member@Example.com"))
        missing = await app.dispatch(FindUserByEmail(actor_id=admin.id, email="nobody@example.com"))
        with pytest.raises(Forbidden):
            await app.dispatch(FindUserByEmail(actor_id=member.id, email="admin@example.com"))

    assert found is not None and found.id == member.id
    assert missing is None


async def test_a_disabled_account_cannot_sign_in_refresh_or_use_its_token_until_enabled() -> None:
    async with memory_app() as app:
        admin, member = await _admin_and_member(app)
        pair = await app.dispatch(Login(email="member@example.com", password=GOOD))
        disabled = await app.dispatch(DisableUser(actor_id=admin.id, user_id=member.id))
        with pytest.raises(AccountDisabled):
            await app.dispatch(GetMe(user_id=member.id))
        with pytest.raises(AccountDisabled, match="disabled"):
            await app.dispatch(Login(email="member@example.com", password=GOOD))
        with pytest.raises(InvalidToken):  # disabling revoked the refresh tokens at once
            await app.dispatch(RefreshTokens(refresh_token=pair.refresh_token))
        enabled = await app.dispatch(EnableUser(actor_id=admin.id, user_id=member.id))
        await app.dispatch(Login(email="member@example.com", password=GOOD))
        with pytest.raises(InvalidToken):  # and they stay revoked
            await app.dispatch(RefreshTokens(refresh_token=pair.refresh_token))

    assert disabled.is_disabled and not enabled.is_disabled


async def test_nobody_disables_the_administrator_and_members_disable_nobody() -> None:
    async with memory_app() as app:
        admin, member = await _admin_and_member(app)
        with pytest.raises(Forbidden, match="administrator's account cannot be disabled"):
            await app.dispatch(DisableUser(actor_id=admin.id, user_id=admin.id))
        with pytest.raises(Forbidden):
            await app.dispatch(DisableUser(actor_id=member.id, user_id=member.id))
        with pytest.raises(NotFound):
            await app.dispatch(EnableUser(actor_id=admin.id, user_id=uuid.uuid4()))
        await app.dispatch(GetMe(user_id=member.id))
