"""Several changes to a chat at once (``PATCH /chats/{id}``): applied together in one commit, or not at all."""

from __future__ import annotations

import uuid

import pytest

from application.commands import CreateChat, GetChat, RegisterUser, ScopeChange, UpdateChat
from domain.chats import ChatSettings
from domain.errors import InvalidInput, NotFound
from domain.stages import Stage
from tests.support.memory_app import memory_app


async def test_title_stage_settings_and_pin_change_together() -> None:
    async with memory_app() as app:
        owner = (await app.dispatch(RegisterUser(email="u@example.com", password="a fine passphrase"))).id
        chat = await app.dispatch(CreateChat(owner_id=owner, title="Draft"))
        updated = await app.dispatch(UpdateChat(
            owner_id=owner, chat_id=chat.id, title="Final", stage=Stage.TEST,
            settings=ChatSettings(instructions="be brief", temperature=0.5), pinned=True,
        ))
        stored = (await app.dispatch(GetChat(owner_id=owner, chat_id=chat.id))).chat

    for seen in (updated, stored):
        assert (seen.title, seen.stage, seen.settings.instructions, seen.settings.temperature, seen.pinned) == (
            "Final", Stage.TEST, "be brief", 0.5, True,
        )


async def test_one_refused_change_leaves_the_chat_as_it_was() -> None:
    async with memory_app() as app:
        owner = (await app.dispatch(RegisterUser(email="u@example.com", password="a fine passphrase"))).id
        chat = await app.dispatch(CreateChat(owner_id=owner, title="Draft"))
        with pytest.raises(InvalidInput, match="no such document"):
            await app.dispatch(UpdateChat(owner_id=owner, chat_id=chat.id, title="Final", stage=Stage.TEST,
                                          scope=ScopeChange(document_ids=[uuid.uuid4()])))
        stored = (await app.dispatch(GetChat(owner_id=owner, chat_id=chat.id))).chat

    assert (stored.title, stored.stage) == ("Draft", Stage.ANSWERING)


async def test_nothing_to_change_or_someone_elses_chat_is_refused() -> None:
    async with memory_app() as app:
        owner = (await app.dispatch(RegisterUser(email="u@example.com", password="a fine passphrase"))).id
        chat = await app.dispatch(CreateChat(owner_id=owner, title="Draft"))
        with pytest.raises(InvalidInput):
            await app.dispatch(UpdateChat(owner_id=owner, chat_id=chat.id))
        with pytest.raises(NotFound):
            await app.dispatch(UpdateChat(owner_id=uuid.uuid4(), chat_id=chat.id, title="Mine"))
