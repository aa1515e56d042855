"""Deleting a user through the bus on the in-memory twins leaves nothing of theirs in any store."""

from __future__ import annotations

import uuid

import msgspec
import pytest

from application.commands import CreateChat, CreateInvitation, DeleteUser, GetMe, Login, RegisterUser, UploadDocument
from application.ports.blob_store import BlobStore
from domain.errors import Forbidden, InvalidToken, NotFound
from domain.stages import Stage
from tests.support.memory_app import MemoryApp, memory_app
from tests.support.twins.background_store import BackgroundStore
from tests.support.twins.blob_store import MemoryBlobStore
from tests.support.twins.store import MemoryStore
from tests.unit.jobs.helpers import say

GOOD = "correct horse battery"


async def _member_with_everything(app: MemoryApp, invite_code: str) -> uuid.UUID:
    member = await app.dispatch(RegisterUser(email="member@example.com", password=GOOD, invite_code=invite_code))
    await app.dispatch(Login(email="member@example.com", password=GOOD))
    await app.dispatch(UploadDocument(owner_id=member.id, filename="a.md", content_type="", data=b"# A\n\nText."))
    await app.run_jobs()
    chat = await app.dispatch(CreateChat(owner_id=member.id, title="Mine", stage=Stage.TEST))
    await say(app, member.id, chat.id, "hello there")
    return uuid.UUID(str(member.id))


def _mentions(app_state: list[object], user_id: uuid.UUID) -> list[str]:
    """Every stored value, encoded, that contains the user's id."""
    found = []
    for table in app_state:
        for value in table.values():  # type: ignore[attr-defined]
            if str(user_id).encode() in msgspec.json.encode(value):
                found.append(type(value).__name__)
    return found


async def test_deleting_a_user_leaves_no_row_blob_or_job_of_theirs() -> None:
    async with memory_app() as app:
        admin = await app.dispatch(RegisterUser(email="admin@example.com", password=GOOD))
        admin_doc = await app.dispatch(
            UploadDocument(owner_id=admin.id, filename="b.md", content_type="", data=b"# B\n\nKept.")
        )
        invitation = await app.dispatch(CreateInvitation(actor_id=admin.id))
        member_id = await _member_with_everything(app, invitation.code)
        store = await app.container.get(MemoryStore)
        background = await app.container.get(BackgroundStore)
        blobs = await app.container.get(BlobStore)
        assert isinstance(blobs, MemoryBlobStore)
        tables = [
            store.users,
            store.refresh_tokens,
            store.documents,
            store.chats,
            store.messages,
            store.invitations,
            background.token_usage,
        ]
        assert len(blobs.blobs) == 2 and background.token_usage and store.messages
        assert sorted(set(_mentions(tables, member_id))) == [
            "Chat",
            "Document",
            "Invitation",
            "RefreshToken",
            "TokenUsage",
            "User",
        ]

        await app.dispatch(DeleteUser(actor_id=admin.id, user_id=member_id))

        assert _mentions(tables, member_id) == []
        assert [key for key in blobs.blobs if str(member_id) in key] == []
        assert [c for c in store.chunks if c != admin_doc.id] == []
        assert all(getattr(c, "owner_id", None) != member_id for c in (await app.jobs()).jobs.values())
        assert list(blobs.blobs) == [admin_doc.blob_key]
        with pytest.raises(InvalidToken):
            await app.dispatch(GetMe(user_id=member_id))
        assert [i.used_by for i in store.invitations.values()] == [None]  # the admin's record stays, anonymous


async def test_only_the_administrator_deletes_and_never_the_administrator() -> None:
    async with memory_app() as app:
        admin = await app.dispatch(RegisterUser(email="admin@example.com", password=GOOD))
        member = await app.dispatch(RegisterUser(email="member@example.com", password=GOOD))
        with pytest.raises(Forbidden):
            await app.dispatch(DeleteUser(actor_id=member.id, user_id=member.id))
        with pytest.raises(Forbidden, match="cannot be deleted"):
            await app.dispatch(DeleteUser(actor_id=None, user_id=admin.id))
        await app.dispatch(DeleteUser(actor_id=None, user_id=member.id))
        with pytest.raises(NotFound):
            await app.dispatch(DeleteUser(actor_id=admin.id, user_id=member.id))
