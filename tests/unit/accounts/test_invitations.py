"""Invitations through the bus: single use, expiry, bound email, and who may make them."""

from __future__ import annotations

import pytest

from application.commands import CreateInvitation, ListInvitations, RegisterUser, RevokeInvitation
from domain.errors import Forbidden, InvalidInput
from domain.signup import InvitationStatus
from domain.users import Role
from tests.support.clock import ManualClock
from tests.support.memory_app import memory_app
from tests.unit.jobs.helpers import ManualClockProvider

GOOD = "correct horse battery"


async def test_an_invitation_admits_one_account_once() -> None:
    async with memory_app(signup="invite") as app:
        created = await app.dispatch(CreateInvitation(actor_id=None))
        first = await app.dispatch(RegisterUser(email="a@example.com", password=GOOD, invite_code=created.code))
        with pytest.raises(InvalidInput, match="already been used") as reused:
            await app.dispatch(RegisterUser(email="b@example.com", password=GOOD, invite_code=created.code))
        listed = await app.dispatch(ListInvitations(actor_id=first.id))

    assert first.role is Role.ADMIN  # the operator's invitation made the first account
    assert reused.value.field == "invite_code"
    assert [(i.id, i.used_by) for i in listed] == [(created.invitation.id, first.id)]


async def test_an_invitation_expires_and_can_name_its_invitee() -> None:
    clock = ManualClock()
    async with memory_app(ManualClockProvider(clock), signup="invite", invitation_ttl_seconds=3600) as app:
        for_bob = await app.dispatch(CreateInvitation(actor_id=None, email="Bob@Example.com"))
        short_lived = await app.dispatch(CreateInvitation(actor_id=None))
        with pytest.raises(InvalidInput, match="another email"):
            await app.dispatch(RegisterUser(email="eve@example.com", password=GOOD, invite_code=for_bob.code))
        await app.dispatch(RegisterUser(email="bob@example.com", password=GOOD, invite_code=for_bob.code))
        clock.advance(3601)
        with pytest.raises(InvalidInput, match="expired"):
            await app.dispatch(RegisterUser(email="c@example.com", password=GOOD, invite_code=short_lived.code))
        statuses = {i.id: i.status(clock.now()) for i in await app.dispatch(ListInvitations(actor_id=None))}

    assert statuses == {
        for_bob.invitation.id: InvitationStatus.USED,
        short_lived.invitation.id: InvitationStatus.EXPIRED,
    }


async def test_only_the_administrator_handles_invitations() -> None:
    async with memory_app() as app:
        admin = await app.dispatch(RegisterUser(email="admin@example.com", password=GOOD))
        member = await app.dispatch(RegisterUser(email="member@example.com", password=GOOD))
        made = await app.dispatch(CreateInvitation(actor_id=admin.id))
        for command in (
            CreateInvitation(actor_id=member.id),
            ListInvitations(actor_id=member.id),
            RevokeInvitation(actor_id=member.id, invitation_id=made.invitation.id),
        ):
            with pytest.raises(Forbidden):
                await app.dispatch(command)
        await app.dispatch(RevokeInvitation(actor_id=admin.id, invitation_id=made.invitation.id))
        with pytest.raises(InvalidInput, match="not valid"):
            await app.dispatch(RegisterUser(email="late@example.com", password=GOOD, invite_code=made.code))
