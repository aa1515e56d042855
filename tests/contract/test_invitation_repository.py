"""The InvitationRepository contract (memory twin and PostgreSQL), plus revoking all of a user's refresh tokens."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta

from domain.signup import Invitation
from domain.users import RefreshToken
from tests.contract.persistence import T0, OpenRequest, at, seed_user


def _invitation(created_by: uuid.UUID | None = None, seconds: float = 0, email: str | None = None) -> Invitation:
    return Invitation(
        id=uuid.uuid4(),
        code_hash=uuid.uuid4().hex,
        created_at=at(seconds),
        expires_at=at(seconds) + timedelta(days=7),
        created_by=created_by,
        email=email,
    )


async def test_an_invitation_is_found_by_its_code_hash_and_listed_newest_first(open_request: OpenRequest) -> None:
    admin = await seed_user(open_request)
    older, newer = _invitation(admin.id, 0, "bob@example.com"), _invitation(None, 10)
    async with open_request() as r:
        await r.invitations.add(older)
        await r.invitations.add(newer)
        await r.uow.commit()

    async with open_request() as r:
        assert await r.invitations.get_by_code_hash(older.code_hash) == older
        assert await r.invitations.get_by_code_hash("unknown") is None
        assert [i.id for i in await r.invitations.list_all()] == [newer.id, older.id]


async def test_of_two_concurrent_redemptions_exactly_one_wins(open_request: OpenRequest) -> None:
    invitation = _invitation()
    first, second = await seed_user(open_request), await seed_user(open_request)
    async with open_request() as r:
        await r.invitations.add(invitation)
        await r.uow.commit()

    async def redeem(user_id: uuid.UUID, seconds: int) -> bool:
        async with open_request() as r:
            won = await r.invitations.mark_used(invitation.id, user_id, at(seconds))
            await asyncio.sleep(0)  # the other request reaches its update while this one holds the row
            await r.uow.commit()
            return won

    outcomes = await asyncio.gather(redeem(first.id, 1), redeem(second.id, 2))

    assert sorted(outcomes) == [False, True]
    async with open_request() as r:
        stored = await r.invitations.get_by_code_hash(invitation.code_hash)
    assert stored is not None and stored.used_by in (first.id, second.id) and stored.used_at in (at(1), at(2))


async def test_deleting_users_takes_their_invitations_and_forgets_who_redeemed(open_request: OpenRequest) -> None:
    admin, invitee = await seed_user(open_request), await seed_user(open_request)
    theirs, redeemed, revoked = _invitation(admin.id), _invitation(None), _invitation(None)
    async with open_request() as r:
        for invitation in (theirs, redeemed, revoked):
            await r.invitations.add(invitation)
        assert await r.invitations.mark_used(redeemed.id, invitee.id, at(3))
        await r.uow.commit()

    async with open_request() as r:
        assert await r.invitations.delete(revoked.id) is True
        assert await r.invitations.delete(revoked.id) is False
        await r.users.delete(admin.id)
        await r.users.delete(invitee.id)
        await r.uow.commit()

    async with open_request() as r:
        remaining = await r.invitations.list_all()
    assert [(i.id, i.used_by, i.used_at) for i in remaining] == [(redeemed.id, None, at(3))]


async def test_revoking_all_of_a_users_refresh_tokens_leaves_others_alone(open_request: OpenRequest) -> None:
    user, other = await seed_user(open_request), await seed_user(open_request)
    tokens = [
        RefreshToken(
            id=uuid.uuid4(),
            user_id=owner,
            family_id=uuid.uuid4(),
            token_hash=uuid.uuid4().hex,
            expires_at=T0 + timedelta(days=1),
        )
        for owner in (user.id, user.id, other.id)
    ]
    async with open_request() as r:
        for token in tokens:
            await r.refresh_tokens.add(token)
        await r.refresh_tokens.revoke_all_of_user(user.id, at(9))
        await r.uow.commit()

    async with open_request() as r:
        revoked = [(await r.refresh_tokens.get_by_hash(t.token_hash)) for t in tokens]
    assert [t.revoked_at if t else "missing" for t in revoked] == [at(9), at(9), None]
