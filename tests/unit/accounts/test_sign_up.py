"""Sign-up through the bus on the in-memory twins: password policy, first administrator, sign-up modes."""

from __future__ import annotations

import pytest

from application.commands import GetMe, Login, RegisterUser
from domain.errors import EmailAlreadyRegistered, InvalidInput, InvitationRequired, SignupClosed
from domain.users import Role
from tests.support.memory_app import memory_app

GOOD = "correct horse battery"


@pytest.mark.parametrize(
    ("password", "says"),
    [
        ("nine char", "at least 10 characters"),
        ("x" * 1025, "at most 1024 characters"),
        ("password123", "too easy to guess: it is one of the most common passwords"),
        ("PassWord123", "too easy to guess: it is one of the most common passwords"),
    ],
)
async def test_a_weak_password_is_refused_naming_the_field_and_the_reason(password: str, says: str) -> None:
    async with memory_app() as app:
        with pytest.raises(InvalidInput) as refused:
            await app.dispatch(RegisterUser(email="a@example.com", password=password))

    assert refused.value.field == "password"
    assert says in refused.value.message


async def test_the_first_account_is_the_administrator_and_later_ones_are_members() -> None:
    async with memory_app() as app:
        first = await app.dispatch(RegisterUser(email="first@example.com", password=GOOD))
        second = await app.dispatch(RegisterUser(email="second@example.com", password=GOOD))
        stored_first = await app.dispatch(GetMe(user_id=first.id))

    assert (first.role, second.role, stored_first.role) == (Role.ADMIN, Role.MEMBER, Role.ADMIN)


async def test_a_refused_sign_up_does_not_take_the_administrator_role() -> None:
    async with memory_app() as app:
        with pytest.raises(InvalidInput):
            await app.dispatch(RegisterUser(email="weak@example.com", password="password123"))
        first = await app.dispatch(RegisterUser(email="first@example.com", password=GOOD))
        with pytest.raises(EmailAlreadyRegistered):
            await app.dispatch(RegisterUser(email="FIRST@example.com", password=GOOD))
        second = await app.dispatch(RegisterUser(email="second@example.com", password=GOOD))

    assert (first.role, second.role) == (Role.ADMIN, Role.MEMBER)


async def test_a_closed_server_refuses_sign_up_but_the_operator_can_create_accounts() -> None:
    async with memory_app(signup="closed") as app:
        with pytest.raises(SignupClosed, match="sign-up is closed"):
            await app.dispatch(RegisterUser(email="a@example.com", password=GOOD))
        with pytest.raises(SignupClosed):
            await app.dispatch(RegisterUser(email="a@example.com", password=GOOD, invite_code="anything"))
        made = await app.dispatch(RegisterUser(email="a@example.com", password=GOOD, by_operator=True))
        await app.dispatch(Login(email="a@example.com", password=GOOD))

    assert made.role is Role.ADMIN


async def test_an_invite_only_server_wants_a_code() -> None:
    async with memory_app(signup="invite") as app:
        with pytest.raises(InvitationRequired, match="invitation code"):
            await app.dispatch(RegisterUser(email="a@example.com", password=GOOD))
        with pytest.raises(InvalidInput) as unknown:
            await app.dispatch(RegisterUser(email="a@example.com", password=GOOD, invite_code="made-up"))

    assert unknown.value.field == "invite_code" and "not valid" in unknown.value.message
