from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta

from domain.users import RefreshToken
from tests.contract.persistence import T0, OpenRequest, at, seed_user


def _token(user_id: uuid.UUID, family_id: uuid.UUID) -> RefreshToken:
    return RefreshToken(
        id=uuid.uuid4(),
        user_id=user_id,
        family_id=family_id,
        token_hash=uuid.uuid4().hex,
        expires_at=T0 + timedelta(days=30),
    )


async def test_a_token_is_found_by_its_hash(open_request: OpenRequest) -> None:
    user = await seed_user(open_request)
    token = _token(user.id, uuid.uuid4())
    async with open_request() as r:
        await r.refresh_tokens.add(token)
        await r.uow.commit()

    async with open_request() as r:
        assert await r.refresh_tokens.get_by_hash(token.token_hash) == token
        assert await r.refresh_tokens.get_by_hash("unknown") is None


async def test_revoke_succeeds_once(open_request: OpenRequest) -> None:
    user = await seed_user(open_request)
    token = _token(user.id, uuid.uuid4())
    async with open_request() as r:
        await r.refresh_tokens.add(token)
        await r.uow.commit()

    async with open_request() as r:
        assert await r.refresh_tokens.revoke(token.id, at(10)) is True
        assert await r.refresh_tokens.revoke(token.id, at(20)) is False
        assert await r.refresh_tokens.revoke(uuid.uuid4(), at(20)) is False
        await r.uow.commit()

    async with open_request() as r:
        stored = await r.refresh_tokens.get_by_hash(token.token_hash)
    assert stored is not None and stored.revoked_at == at(10)


async def test_revoking_a_family_revokes_its_live_tokens_only(open_request: OpenRequest) -> None:
    user = await seed_user(open_request)
    family, other_family = uuid.uuid4(), uuid.uuid4()
    used, live, unrelated = _token(user.id, family), _token(user.id, family), _token(user.id, other_family)
    async with open_request() as r:
        for token in (used, live, unrelated):
            await r.refresh_tokens.add(token)
        await r.refresh_tokens.revoke(used.id, at(1))
        await r.uow.commit()

    async with open_request() as r:
        await r.refresh_tokens.revoke_family(family, at(5))
        await r.uow.commit()

    async with open_request() as r:
        revoked_at = {t.id: (await r.refresh_tokens.get_by_hash(t.token_hash)) for t in (used, live, unrelated)}
    assert {key: t.revoked_at for key, t in revoked_at.items() if t is not None} == {
        used.id: at(1),  # the first revocation time is kept
        live.id: at(5),
        unrelated.id: None,
    }


async def test_of_two_concurrent_revokes_exactly_one_wins(open_request: OpenRequest) -> None:
    user = await seed_user(open_request)
    token = _token(user.id, uuid.uuid4())
    async with open_request() as r:
        await r.refresh_tokens.add(token)
        await r.uow.commit()

    async def revoke_in_own_request(seconds: int) -> bool:
        async with open_request() as r:
            won = await r.refresh_tokens.revoke(token.id, at(seconds))
            await asyncio.sleep(0)  # the other request reaches its revoke while this one holds the row
            await r.uow.commit()
            return won

    outcomes = await asyncio.gather(revoke_in_own_request(1), revoke_in_own_request(2))

    assert sorted(outcomes) == [False, True]
