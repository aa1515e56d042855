from __future__ import annotations

import uuid

from domain.chats import ChatSettings
from domain.documents import DocumentScope
from domain.stages import Stage
from tests.contract.persistence import OpenRequest, at, new_chat, new_message, seed_chat, seed_user


async def test_a_chat_round_trips(open_request: OpenRequest) -> None:
    chat = await seed_chat(open_request)

    async with open_request() as r:
        assert await r.chats.get(chat.owner_id, chat.id) == chat


async def test_chats_list_most_recently_updated_first(open_request: OpenRequest) -> None:
    owner = await seed_user(open_request)
    stale, fresh, middle = (new_chat(owner.id, updated_at=at(s)) for s in (0, 60, 30))
    async with open_request() as r:
        for chat in (stale, fresh, middle):
            await r.chats.add(chat)
        await r.uow.commit()

    stale.rename("Brought back up", at(90))
    async with open_request() as r:
        await r.chats.update(stale)
        await r.uow.commit()

    async with open_request() as r:
        assert [c.id for c in await r.chats.list(owner.id)] == [stale.id, fresh.id, middle.id]


async def test_title_and_stage_changes_persist(open_request: OpenRequest) -> None:
    chat = await seed_chat(open_request)
    chat.rename("Tax questions", at(5))
    chat.change_stage(Stage.TEST, at(6))
    async with open_request() as r:
        await r.chats.update(chat)
        await r.uow.commit()

    async with open_request() as r:
        stored = await r.chats.get(chat.owner_id, chat.id)
    assert stored is not None
    assert (stored.title, stored.stage, stored.updated_at) == ("Tax questions", Stage.TEST, at(6))
    assert stored.titled_by_user, "a rename is the user's title, which a generated one never replaces"
    assert not stored.take_generated_title("Generated")


async def test_chat_settings_persist_and_can_be_cleared(open_request: OpenRequest) -> None:
    chat = await seed_chat(open_request)
    chosen = ChatSettings(model="llama-3.1-8b", instructions="Answer in French.\nBe brief.", temperature=0.7)
    for settings in (chosen, ChatSettings()):
        chat.configure(settings, at(5))
        async with open_request() as r:
            await r.chats.update(chat)
            await r.uow.commit()
        async with open_request() as r:
            stored = await r.chats.get(chat.owner_id, chat.id)
        assert stored is not None and stored.settings == settings


async def test_another_user_cannot_see_change_or_delete_a_chat(open_request: OpenRequest) -> None:
    chat = await seed_chat(open_request)
    bob = await seed_user(open_request)
    hijacked = new_chat(bob.id, title="mine now")
    hijacked.id = chat.id

    async with open_request() as r:
        assert await r.chats.get(bob.id, chat.id) is None
        assert await r.chats.list(bob.id) == []
        assert await r.chats.delete(bob.id, chat.id) is False
        await r.chats.update(hijacked)
        await r.uow.commit()

    async with open_request() as r:
        assert await r.chats.get(chat.owner_id, chat.id) == chat


async def test_deleting_a_chat_deletes_its_messages(open_request: OpenRequest) -> None:
    chat = await seed_chat(open_request)
    async with open_request() as r:
        await r.messages.add(new_message(chat.id, client_msg_id="c-1"))
        await r.messages.add(new_message(chat.id))
        await r.uow.commit()

    async with open_request() as r:
        assert await r.chats.delete(chat.owner_id, chat.id) is True
        assert await r.chats.delete(chat.owner_id, chat.id) is False
        await r.uow.commit()

    async with open_request() as r:
        assert await r.chats.get(chat.owner_id, chat.id) is None
        assert await r.messages.list(chat.id, before=None, limit=10) == []
        assert await r.messages.get_by_client_msg_id(chat.id, "c-1") is None
        assert await r.chats.delete(chat.owner_id, uuid.uuid4()) is False


async def test_a_document_scope_persists_and_defaults_to_everything(open_request: OpenRequest) -> None:
    chat = await seed_chat(open_request)
    async with open_request() as r:
        stored = await r.chats.get(chat.owner_id, chat.id)
    assert stored is not None and stored.scope.everything

    scope = DocumentScope(document_ids=(uuid.uuid4(), uuid.uuid4()), tags=("manuals",))
    chat.limit_to(scope, at(5))
    async with open_request() as r:
        await r.chats.update(chat)
        await r.uow.commit()

    async with open_request() as r:
        stored = await r.chats.get(chat.owner_id, chat.id)
    assert stored is not None and stored.scope == scope


async def test_a_generated_title_never_replaces_the_users(open_request: OpenRequest) -> None:
    chat = await seed_chat(open_request)
    async with open_request() as r:
        assert await r.chats.set_generated_title(chat.owner_id, chat.id, "Mail ports")
        await r.uow.commit()
    async with open_request() as r:
        stored = await r.chats.get(chat.owner_id, chat.id)
    assert stored is not None and (stored.title, stored.titled_by_user, stored.updated_at) == (
        "Mail ports",
        False,
        chat.updated_at,
    )

    stored.rename("My mail", at(9))
    async with open_request() as r:
        await r.chats.update(stored)
        await r.uow.commit()
    async with open_request() as r:
        assert not await r.chats.set_generated_title(chat.owner_id, chat.id, "Generated again")
        assert not await r.chats.set_generated_title(uuid.uuid4(), chat.id, "Someone else's")
        await r.uow.commit()
    async with open_request() as r:
        final = await r.chats.get(chat.owner_id, chat.id)
    assert final is not None and final.title == "My mail"
