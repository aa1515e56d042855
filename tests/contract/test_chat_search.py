"""Finding and pinning chats: the same assertions against the in-memory twin and PostgreSQL."""

from __future__ import annotations

from tests.contract.persistence import OpenRequest, at, new_chat, new_message, seed_user


async def test_pinned_chats_come_first_then_the_most_recently_updated(open_request: OpenRequest) -> None:
    owner = await seed_user(open_request)
    old, newest, middle = (new_chat(owner.id, updated_at=at(s)) for s in (0, 60, 30))
    old.pin(True)
    async with open_request() as r:
        for chat in (old, newest, middle):
            await r.chats.add(chat)
        await r.uow.commit()
    async with open_request() as r:
        assert [c.id for c in await r.chats.list(owner.id)] == [old.id, newest.id, middle.id]
        stored = await r.chats.get(owner.id, old.id)
    assert stored is not None and stored.pinned

    stored.pin(False)
    middle.pin(True)
    async with open_request() as r:
        await r.chats.update(stored)
        await r.chats.update(middle)
        await r.uow.commit()
    async with open_request() as r:
        assert [c.id for c in await r.chats.list(owner.id)] == [middle.id, newest.id, old.id]


async def test_search_finds_chats_by_title_or_by_a_message_ignoring_case(open_request: OpenRequest) -> None:
    owner = await seed_user(open_request)
    by_title = new_chat(owner.id, title="Postfix relay setup", updated_at=at(10))
    by_message = new_chat(owner.id, title="Mail", updated_at=at(20))
    neither = new_chat(owner.id, title="Taxes", updated_at=at(30))
    pinned = new_chat(owner.id, title="Relay notes (pinned)", updated_at=at(0))
    pinned.pin(True)
    async with open_request() as r:
        for chat in (by_title, by_message, neither, pinned):
            await r.chats.add(chat)
        await r.messages.add(new_message(by_message.id, "How do I configure the RELAY host?"))
        await r.messages.add(new_message(neither.id, "What is deductible?"))
        await r.uow.commit()

    async with open_request() as r:
        found = await r.chats.search(owner.id, "relay", 10)
        assert [c.id for c in found] == [pinned.id, by_message.id, by_title.id]
        assert [c.id for c in await r.chats.search(owner.id, "relay", 2)] == [pinned.id, by_message.id]
        assert await r.chats.search(owner.id, "nothing like this", 10) == []


async def test_search_takes_wildcards_literally(open_request: OpenRequest) -> None:
    owner = await seed_user(open_request)
    percent, plain = new_chat(owner.id, title="100% done"), new_chat(owner.id, title="1000 done")
    under = new_chat(owner.id, title="snake_case names")
    async with open_request() as r:
        for chat in (percent, plain, under):
            await r.chats.add(chat)
        await r.messages.add(new_message(plain.id, "path C:\\temp"))
        await r.uow.commit()

    async with open_request() as r:
        assert [c.id for c in await r.chats.search(owner.id, "0%", 10)] == [percent.id]
        assert [c.id for c in await r.chats.search(owner.id, "e_c", 10)] == [under.id]
        assert [c.id for c in await r.chats.search(owner.id, "%", 10)] == [percent.id]
        assert [c.id for c in await r.chats.search(owner.id, ":\\t", 10)] == [plain.id]


async def test_search_sees_only_the_owners_chats(open_request: OpenRequest) -> None:
    alice, bob = await seed_user(open_request), await seed_user(open_request)
    hers = new_chat(alice.id, title="Shared word: kiwi")
    his = new_chat(bob.id, title="Other")
    async with open_request() as r:
        await r.chats.add(hers)
        await r.chats.add(his)
        await r.messages.add(new_message(his.id, "kiwi too"))
        await r.uow.commit()

    async with open_request() as r:
        assert [c.id for c in await r.chats.search(alice.id, "kiwi", 10)] == [hers.id]
        assert [c.id for c in await r.chats.search(bob.id, "kiwi", 10)] == [his.id]
