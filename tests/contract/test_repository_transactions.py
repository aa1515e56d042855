"""The unit of work: nothing a request wrote survives unless it committed."""

from __future__ import annotations

from tests.contract.persistence import OpenRequest, new_chat, new_message, new_user, seed_chat, seed_user


async def test_rollback_discards_the_requests_writes(open_request: OpenRequest) -> None:
    user = new_user()
    async with open_request() as r:
        await r.users.add(user)
        await r.uow.rollback()
        assert await r.users.get(user.id) is None

    async with open_request() as r:
        assert await r.users.get(user.id) is None


async def test_a_request_that_ends_without_commit_leaves_nothing_behind(open_request: OpenRequest) -> None:
    owner = await seed_user(open_request)
    chat = new_chat(owner.id)
    async with open_request() as r:
        await r.chats.add(chat)
        await r.messages.add(new_message(chat.id))

    async with open_request() as r:
        assert await r.chats.list(owner.id) == []


async def test_rolled_back_appends_give_their_positions_back(open_request: OpenRequest) -> None:
    chat = await seed_chat(open_request)
    async with open_request() as r:
        await r.messages.add(new_message(chat.id))
        await r.uow.rollback()

    async with open_request() as r:
        message = await r.messages.add(new_message(chat.id))
        await r.uow.commit()

    assert message.position == 1


async def test_work_after_a_commit_is_a_new_transaction(open_request: OpenRequest) -> None:
    kept, dropped = new_user(), new_user()
    async with open_request() as r:
        await r.users.add(kept)
        await r.uow.commit()
        await r.users.add(dropped)
        await r.uow.rollback()

    async with open_request() as r:
        assert await r.users.get(kept.id) == kept
        assert await r.users.get(dropped.id) is None


async def test_a_read_only_unit_reads_and_the_next_unit_is_a_transaction_again(open_request: OpenRequest) -> None:
    owner = await seed_user(open_request)
    dropped = new_user()
    async with open_request() as r:
        await r.uow.reads_only()
        assert await r.users.get(owner.id) == owner
        await r.uow.commit()
        await r.users.add(dropped)  # a unit after the read-only one: written in a transaction, so undone below
        await r.uow.rollback()

    async with open_request() as r:
        assert await r.users.get(dropped.id) is None


async def test_a_rollback_also_ends_a_read_only_unit(open_request: OpenRequest) -> None:
    dropped = new_user()
    async with open_request() as r:
        await r.uow.reads_only()
        await r.uow.rollback()
        await r.users.add(dropped)
        await r.uow.rollback()

    async with open_request() as r:
        assert await r.users.get(dropped.id) is None


async def test_declaring_reads_only_in_a_unit_under_way_changes_nothing(open_request: OpenRequest) -> None:
    first, second = new_user(), new_user()
    async with open_request() as r:
        await r.users.add(first)
        await r.uow.reads_only()
        await r.users.add(second)
        await r.uow.rollback()

    async with open_request() as r:
        assert await r.users.get(first.id) is None
        assert await r.users.get(second.id) is None
