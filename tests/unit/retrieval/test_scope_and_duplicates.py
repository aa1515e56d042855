"""Duplicate uploads, document tags and a chat's document scope, through the bus on the in-memory twins."""

from __future__ import annotations

import uuid

import pytest

from application.commands import CreateChat, GetChat, ListDocuments, SetChatScope, TagDocument, UploadDocument
from domain.errors import DuplicateDocument, InvalidInput, NotFound
from domain.stages import Stage
from tests.support.memory_app import memory_app
from tests.unit.chat.test_answer_relevance import KRILL, NGINX, REDIS, _ask, _owner_with_documents


async def test_an_identical_upload_is_refused_with_the_existing_documents_id() -> None:
    async with memory_app() as app:
        owner = await _owner_with_documents(app, redis=REDIS)
        (first,) = await app.dispatch(ListDocuments(owner_id=owner))
        with pytest.raises(DuplicateDocument) as refused:
            await app.dispatch(UploadDocument(owner_id=owner, filename="copy.md", content_type="", data=REDIS))
        assert refused.value.document_id == first.id and "redis.md" in refused.value.message
        changed = await app.dispatch(
            UploadDocument(owner_id=owner, filename="b.md", content_type="", data=REDIS + b" More.")
        )
        other = await _owner_with_documents(app)  # another account may upload the same bytes
        theirs = await app.dispatch(UploadDocument(owner_id=other, filename="r.md", content_type="", data=REDIS))
        assert changed.id != first.id and theirs.owner_id == other
        assert len(await app.dispatch(ListDocuments(owner_id=owner))) == 2


async def test_tags_are_cleaned_and_checked() -> None:
    async with memory_app() as app:
        owner = await _owner_with_documents(app)
        document = await app.dispatch(
            UploadDocument(
                owner_id=owner,
                filename="a.md",
                content_type="",
                data=KRILL,
                tags=[" Marine  Life", "marine life", "2026"],
            )
        )
        assert document.tags == ["marine life", "2026"]
        retagged = await app.dispatch(TagDocument(owner_id=owner, document_id=document.id, tags=["birds"]))
        assert retagged.tags == ["birds"]
        for bad in (["x" * 41], ["<script>"], [""], [f"t{i}" for i in range(21)]):
            with pytest.raises(InvalidInput):
                await app.dispatch(TagDocument(owner_id=owner, document_id=document.id, tags=bad))
        stranger = await _owner_with_documents(app)
        with pytest.raises(NotFound):
            await app.dispatch(TagDocument(owner_id=stranger, document_id=document.id, tags=["mine"]))


async def test_a_scoped_chat_answers_only_from_its_documents() -> None:
    async with memory_app(relevance_floor=0.0) as app:
        owner = await _owner_with_documents(app, redis=REDIS, nginx=NGINX)
        await app.dispatch(
            UploadDocument(owner_id=owner, filename="krill.md", content_type="", data=KRILL, tags=["animals"])
        )
        await app.run_jobs()
        nginx = next(d for d in await app.dispatch(ListDocuments(owner_id=owner)) if d.filename == "nginx.md")
        chat = (await app.dispatch(CreateChat(owner_id=owner, stage=Stage.ANSWERING))).id
        scoped = await app.dispatch(
            SetChatScope(owner_id=owner, chat_id=chat, document_ids=[nginx.id], tags=["Animals"])
        )
        assert scoped.scope.document_ids == (nginx.id,) and scoped.scope.tags == ("animals",)
        assert (await app.dispatch(GetChat(owner_id=owner, chat_id=chat))).chat.scope == scoped.scope
        _, cited = await _ask(app, owner, chat, "What is Redis used as? Redis in-memory key value store")
        assert cited and set(cited) <= {"nginx.md", "krill.md"}
        await app.dispatch(SetChatScope(owner_id=owner, chat_id=chat))  # back to every document
        _, cited = await _ask(app, owner, chat, "What is Redis used as? Redis in-memory key value store")
        assert cited[0] == "redis.md"


async def test_a_scope_may_only_name_the_owners_documents() -> None:
    async with memory_app() as app:
        owner = await _owner_with_documents(app, redis=REDIS)
        stranger = await _owner_with_documents(app, nginx=NGINX)
        (foreign,) = await app.dispatch(ListDocuments(owner_id=stranger))
        chat = (await app.dispatch(CreateChat(owner_id=owner, stage=Stage.ANSWERING))).id
        for ids in ([foreign.id], [uuid.uuid4()]):
            with pytest.raises(InvalidInput):
                await app.dispatch(SetChatScope(owner_id=owner, chat_id=chat, document_ids=ids))
        with pytest.raises(NotFound):
            await app.dispatch(SetChatScope(owner_id=stranger, chat_id=chat, tags=["x"]))
