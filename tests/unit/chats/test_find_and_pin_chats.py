"""Listing, searching and pinning chats through the bus on the in-memory twins."""

from __future__ import annotations

import uuid

import pytest

from application.commands import CreateChat, ListChats, PinChat, RegisterUser, RenameChat, SendMessage
from application.use_cases.chats.list_chats import MAX_SEARCH_RESULTS
from domain.errors import InvalidInput, NotFound
from tests.support.memory_app import MemoryApp, memory_app


async def _user(app: MemoryApp) -> uuid.UUID:
    user = await app.dispatch(RegisterUser(email=f"{uuid.uuid4().hex[:6]}@example.com", password="a fine passphrase"))
    return user.id


async def _titles(app: MemoryApp, owner: uuid.UUID, query: str | None = None) -> list[str]:
    return [c.title for c in await app.dispatch(ListChats(owner_id=owner, query=query))]


async def test_a_pinned_chat_stays_on_top_until_unpinned() -> None:
    async with memory_app() as app:
        owner = await _user(app)
        first = await app.dispatch(CreateChat(owner_id=owner, title="First"))
        await app.dispatch(CreateChat(owner_id=owner, title="Second"))
        pinned = await app.dispatch(PinChat(owner_id=owner, chat_id=first.id, pinned=True))
        assert pinned.pinned and pinned.updated_at == first.updated_at, "pinning does not count as activity"
        await app.dispatch(CreateChat(owner_id=owner, title="Third"))
        assert await _titles(app, owner) == ["First", "Third", "Second"]

        await app.dispatch(PinChat(owner_id=owner, chat_id=first.id, pinned=True))  # again: nothing changes
        await app.dispatch(PinChat(owner_id=owner, chat_id=first.id, pinned=False))
        assert await _titles(app, owner) == ["Third", "Second", "First"]


async def test_someone_elses_chat_cannot_be_pinned() -> None:
    async with memory_app() as app:
        owner, stranger = await _user(app), await _user(app)
        chat = await app.dispatch(CreateChat(owner_id=owner, title="Mine"))
        with pytest.raises(NotFound):
            await app.dispatch(PinChat(owner_id=stranger, chat_id=chat.id, pinned=True))


async def test_search_matches_titles_and_what_was_said() -> None:
    async with memory_app() as app:
        owner = await _user(app)
        await app.dispatch(CreateChat(owner_id=owner, title="Backup plan"))
        mail = await app.dispatch(CreateChat(owner_id=owner, title="Mail"))
        await app.dispatch(SendMessage(owner_id=owner, chat_id=mail.id, client_msg_id="m1", text="Which BACKUP mx?"))
        await app.dispatch(CreateChat(owner_id=owner, title="Unrelated"))

        assert await _titles(app, owner, "  backup ") == ["Mail", "Backup plan"]
        assert await _titles(app, owner, "   ") == ["Unrelated", "Mail", "Backup plan"], "blank: everything"
        await app.dispatch(RenameChat(owner_id=owner, chat_id=mail.id, title="Mail servers"))
        assert await _titles(app, owner, "servers") == ["Mail servers"]


async def test_search_is_bounded_and_validated() -> None:
    async with memory_app() as app:
        owner = await _user(app)
        for n in range(MAX_SEARCH_RESULTS + 3):
            await app.dispatch(CreateChat(owner_id=owner, title=f"Chat {n}"))
        assert len(await _titles(app, owner, "chat")) == MAX_SEARCH_RESULTS
        assert len(await _titles(app, owner)) == MAX_SEARCH_RESULTS + 3, "the plain list is not cut"
        with pytest.raises(InvalidInput):
            await app.dispatch(ListChats(owner_id=owner, query="x" * 201))
        with pytest.raises(InvalidInput):
            await app.dispatch(ListChats(owner_id=owner, query="bad\x00"))
