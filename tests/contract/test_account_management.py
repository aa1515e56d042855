"""The UserRepository's account management (roles, disabling, listing, deleting, the sign-up lock), the same
assertions on the in-memory twin and PostgreSQL."""

from __future__ import annotations

import asyncio
import uuid

import msgspec

from domain.users import Role, User, role_for_new_account
from tests.contract.persistence import OpenRequest, at, new_chat, new_document, new_message, new_user, seed_user


async def test_role_and_disabled_state_are_stored_and_updated(open_request: OpenRequest) -> None:
    admin = msgspec.structs.replace(new_user("admin@example.com"), role=Role.ADMIN)
    member = msgspec.structs.replace(new_user("member@example.com"), created_at=at(1))
    async with open_request() as r:
        await r.users.add(member)
        await r.users.add(admin)
        await r.uow.commit()

    async with open_request() as r:
        stored = await r.users.get(member.id)
        assert stored is not None and stored.role is Role.MEMBER and not stored.is_disabled
        stored.disable(at(5))
        await r.users.update(stored)
        await r.uow.commit()

    async with open_request() as r:
        assert await r.users.get(admin.id) == admin
        again = await r.users.get_by_email("member@example.com")
        assert again is not None and again.disabled_at == at(5)
        assert [u.email for u in await r.users.list_all()] == ["admin@example.com", "member@example.com"]
        assert await r.users.count() == 2


async def test_of_concurrent_first_sign_ups_exactly_one_becomes_administrator(open_request: OpenRequest) -> None:
    first_counted = asyncio.Event()

    async def sign_up(email: str, after: asyncio.Event | None, counted: asyncio.Event | None) -> User:
        if after is not None:
            await after.wait()  # the other sign-up has counted and added, but not committed yet
        async with open_request() as r:
            await r.users.lock_sign_ups()
            user = msgspec.structs.replace(new_user(email), role=role_for_new_account(await r.users.count()))
            await r.users.add(user)
            if counted is not None:
                counted.set()
                await asyncio.sleep(0.2)  # time for the other to count too, were nothing holding it back
            await r.uow.commit()
            return user

    made = await asyncio.gather(
        sign_up("first@example.com", None, first_counted), sign_up("second@example.com", first_counted, None)
    )

    assert [u.role.value for u in made] == ["admin", "member"]


async def test_the_sign_up_lock_ends_with_a_rolled_back_request(open_request: OpenRequest) -> None:
    async with open_request() as r:
        await r.users.lock_sign_ups()
        await r.users.add(new_user())  # never committed

    async def second() -> int:
        async with open_request() as r:
            await r.users.lock_sign_ups()
            return await r.users.count()

    assert await asyncio.wait_for(second(), timeout=30) == 0


async def test_deleting_a_user_deletes_what_they_own_and_nothing_else(open_request: OpenRequest) -> None:
    doomed, kept = await seed_user(open_request), await seed_user(open_request)
    owned: dict[uuid.UUID, tuple[uuid.UUID, uuid.UUID, uuid.UUID]] = {}
    for user in (doomed, kept):
        async with open_request() as r:
            document, chat = new_document(user.id), new_chat(user.id)
            await r.documents.add(document)
            await r.chats.add(chat)
            message = await r.messages.add(new_message(chat.id))
            await r.uow.commit()
        owned[user.id] = (document.id, chat.id, message.id)

    async with open_request() as r:
        assert await r.users.delete(doomed.id) is True
        assert await r.users.delete(uuid.uuid4()) is False
        await r.uow.commit()

    async with open_request() as r:
        doc_id, chat_id, _ = owned[doomed.id]
        assert await r.users.get(doomed.id) is None
        assert await r.documents.get(doomed.id, doc_id) is None
        assert await r.chats.get(doomed.id, chat_id) is None
        kept_doc, kept_chat, _ = owned[kept.id]
        assert await r.documents.get(kept.id, kept_doc) is not None
        assert await r.chats.get(kept.id, kept_chat) is not None
        assert [u.id for u in await r.users.list_all()] == [kept.id]
