from __future__ import annotations

import uuid

import pytest

from domain.errors import EmailAlreadyRegistered
from tests.contract.persistence import OpenRequest, at, new_user, seed_user


async def test_a_committed_user_is_found_by_id_and_by_email_in_a_later_request(
    open_request: OpenRequest,
) -> None:
    user = await seed_user(open_request, "ada@example.com")

    async with open_request() as r:
        assert await r.users.get(user.id) == user
        assert await r.users.get_by_email("ada@example.com") == user


async def test_lookup_by_email_ignores_case_and_surrounding_space(open_request: OpenRequest) -> None:
    user = await seed_user(open_request, "ada@example.com")

    async with open_request() as r:
        found = await r.users.get_by_email("  ADA@Example.COM ")

    assert found is not None and found.id == user.id


async def test_missing_users_are_none(open_request: OpenRequest) -> None:
    async with open_request() as r:
        assert await r.users.get(uuid.uuid4()) is None
        assert await r.users.get_by_email("nobody@example.com") is None


async def test_an_email_registers_once_whatever_its_case(open_request: OpenRequest) -> None:
    await seed_user(open_request, "ada@example.com")

    async with open_request() as r:
        with pytest.raises(EmailAlreadyRegistered):
            await r.users.add(new_user("Ada@EXAMPLE.com"))


async def test_the_request_stays_usable_after_a_duplicate_email(open_request: OpenRequest) -> None:
    await seed_user(open_request, "ada@example.com")
    other = new_user("grace@example.com")

    async with open_request() as r:
        with pytest.raises(EmailAlreadyRegistered):
            await r.users.add(new_user("ada@example.com"))
        await r.users.add(other)
        await r.uow.commit()

    async with open_request() as r:
        assert await r.users.get(other.id) == other


async def test_inactive_accounts_are_the_disabled_and_the_missing_ones(open_request: OpenRequest) -> None:
    active, disabled = await seed_user(open_request), await seed_user(open_request)
    disabled.disable(at(1))
    async with open_request() as r:
        await r.users.update(disabled)
        await r.uow.commit()
    missing = uuid.uuid4()

    async with open_request() as r:
        inactive = await r.users.inactive_among({active.id, disabled.id, missing})
        none_asked = await r.users.inactive_among(set())
        all_active = await r.users.inactive_among([active.id])

    assert inactive == {disabled.id, missing}
    assert none_asked == set() and all_active == set()
