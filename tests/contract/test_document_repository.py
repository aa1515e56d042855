from __future__ import annotations

import uuid

import msgspec

from domain.documents import DocumentStatus
from tests.contract.persistence import OpenRequest, at, new_document, seed_user


async def test_a_document_round_trips_with_every_field(open_request: OpenRequest) -> None:
    owner = await seed_user(open_request)
    document = new_document(owner.id)
    async with open_request() as r:
        await r.documents.add(document)
        await r.uow.commit()

    async with open_request() as r:
        assert await r.documents.get(owner.id, document.id) == document


async def test_documents_list_newest_first(open_request: OpenRequest) -> None:
    owner = await seed_user(open_request)
    old, new, middle = (new_document(owner.id, created_at=at(s)) for s in (0, 20, 10))
    async with open_request() as r:
        for document in (old, new, middle):
            await r.documents.add(document)
        await r.uow.commit()

    async with open_request() as r:
        assert [d.id for d in await r.documents.list(owner.id)] == [new.id, middle.id, old.id]


async def test_status_and_progress_changes_persist(open_request: OpenRequest) -> None:
    owner = await seed_user(open_request)
    document = new_document(owner.id)
    async with open_request() as r:
        await r.documents.add(document)
        await r.uow.commit()

    document.start_indexing(at(1))
    document.report_progress(3, 8, at(2))
    document.mark_failed("the PDF is encrypted", at(3))
    async with open_request() as r:
        await r.documents.update(document)
        await r.uow.commit()

    async with open_request() as r:
        stored = await r.documents.get(owner.id, document.id)
    assert stored is not None
    assert (
        stored.status,
        stored.failure_reason,
        stored.chunks_done,
        stored.chunks_total,
        stored.updated_at,
    ) == (
        DocumentStatus.FAILED,
        "the PDF is encrypted",
        3,
        8,
        at(3),
    )


async def test_another_user_cannot_see_change_or_delete_a_document(open_request: OpenRequest) -> None:
    alice, bob = await seed_user(open_request), await seed_user(open_request)
    document = new_document(alice.id)
    async with open_request() as r:
        await r.documents.add(document)
        await r.uow.commit()

    hijacked = new_document(bob.id)
    hijacked.id = document.id
    hijacked.mark_failed("bob was here", at(9))
    async with open_request() as r:
        assert await r.documents.get(bob.id, document.id) is None
        assert await r.documents.list(bob.id) == []
        assert await r.documents.delete(bob.id, document.id) is False
        assert await r.documents.update(hijacked) is False
        await r.uow.commit()

    async with open_request() as r:
        assert await r.documents.get(alice.id, document.id) == document


async def test_delete_reports_whether_anything_was_deleted(open_request: OpenRequest) -> None:
    owner = await seed_user(open_request)
    document = new_document(owner.id)
    async with open_request() as r:
        await r.documents.add(document)
        await r.uow.commit()

    async with open_request() as r:
        assert await r.documents.delete(owner.id, document.id) is True
        assert await r.documents.delete(owner.id, document.id) is False
        assert await r.documents.delete(owner.id, uuid.uuid4()) is False
        await r.uow.commit()

    async with open_request() as r:
        assert await r.documents.get(owner.id, document.id) is None


async def test_updating_a_deleted_document_does_not_bring_it_back(open_request: OpenRequest) -> None:
    owner = await seed_user(open_request)
    document = new_document(owner.id)
    async with open_request() as r:
        await r.documents.add(document)
        await r.documents.delete(owner.id, document.id)
        document.start_indexing(at(1))
        assert await r.documents.update(document) is False
        await r.uow.commit()

    async with open_request() as r:
        assert await r.documents.list(owner.id) == []


async def test_tags_are_stored_at_upload_and_when_changed(open_request: OpenRequest) -> None:
    owner = await seed_user(open_request)
    document = new_document(owner.id)
    document.tags = ["manuals"]
    async with open_request() as r:
        await r.documents.add(document)
        await r.uow.commit()
    document.retag(["Manuals", " 2026 reports "], at(5))
    async with open_request() as r:
        assert await r.documents.update(document) is True
        await r.uow.commit()

    async with open_request() as r:
        stored = await r.documents.get(owner.id, document.id)
    assert stored is not None and stored.tags == ["manuals", "2026 reports"]


async def test_find_by_sha256_sees_only_the_owners_documents_oldest_first(open_request: OpenRequest) -> None:
    owner, other = await seed_user(open_request), await seed_user(open_request)
    newer, older, theirs = (
        new_document(owner.id, created_at=at(20)),
        new_document(owner.id, created_at=at(10)),
        new_document(other.id),
    )
    async with open_request() as r:
        for document in (newer, older, theirs):
            await r.documents.add(document)
        await r.uow.commit()

    async with open_request() as r:
        found = await r.documents.find_by_sha256(owner.id, older.sha256)
        missing = await r.documents.find_by_sha256(owner.id, "cd" * 32)
        stranger = await r.documents.find_by_sha256(uuid.uuid4(), older.sha256)
    assert found is not None and found.id == older.id
    assert missing is None and stranger is None


async def test_a_page_fetched_again_replaces_its_content_but_keeps_its_tags_and_address(
    open_request: OpenRequest,
) -> None:
    owner = await seed_user(open_request)
    document = new_document(owner.id)
    document.source_url = "https://example.org/krill"
    document.tags = ["animals"]
    async with open_request() as r:
        await r.documents.add(document)
        await r.uow.commit()
    document.start_indexing(at(1))
    document.mark_ready(4, at(2))
    async with open_request() as r:
        await r.documents.update(document)
        await r.uow.commit()

    stale = msgspec.structs.replace(document, tags=["outdated copy"])
    stale.replace_content(99, "cd" * 32, "text/html", at(3))
    async with open_request() as r:
        assert await r.documents.replace_content(stale)
        await r.uow.commit()

    async with open_request() as r:
        stored = await r.documents.get(owner.id, document.id)
    assert stored is not None
    assert (stored.size_bytes, stored.sha256, stored.content_type) == (99, "cd" * 32, "text/html")
    assert (stored.status, stored.chunks_done, stored.updated_at) == (DocumentStatus.PENDING, 0, at(3))
    assert (stored.source_url, stored.tags) == ("https://example.org/krill", ["animals"])
    async with open_request() as r:
        await r.documents.delete(owner.id, document.id)
        await r.uow.commit()
    async with open_request() as r:
        assert not await r.documents.replace_content(stale)


async def test_several_documents_read_in_the_order_asked_for_their_owner_only(open_request: OpenRequest) -> None:
    alice, bob = await seed_user(open_request), await seed_user(open_request)
    first, second = new_document(alice.id, created_at=at(1)), new_document(alice.id, created_at=at(2))
    foreign = new_document(bob.id)
    async with open_request() as r:
        for document in (first, second, foreign):
            await r.documents.add(document)
        await r.uow.commit()

    async with open_request() as r:
        found = await r.documents.get_many(alice.id, [second.id, uuid.uuid4(), foreign.id, first.id, second.id])
        assert found == [second, first]
        assert await r.documents.get_many(alice.id, []) == []


async def test_several_documents_states_written_at_once_leave_tags_and_skip_the_gone(
    open_request: OpenRequest,
) -> None:
    alice, bob = await seed_user(open_request), await seed_user(open_request)
    ready, failed, gone = (new_document(alice.id) for _ in range(3))
    foreign = new_document(bob.id)
    async with open_request() as r:
        for document in (ready, failed, gone, foreign):
            await r.documents.add(document)
        await r.uow.commit()
    async with open_request() as r:  # tagged meanwhile: the bulk write must not undo it
        tagged = await r.documents.get(alice.id, ready.id)
        assert tagged is not None
        tagged.tags = ["kept"]
        await r.documents.update(tagged)
        assert await r.documents.delete(alice.id, gone.id)
        await r.uow.commit()

    for document in (ready, failed, gone):
        document.start_indexing(at(1))
    ready.mark_ready(12, at(5))
    failed.report_progress(3, 8, at(2))
    failed.mark_failed("the PDF is encrypted", at(3))
    hijacked = msgspec.structs.replace(foreign, owner_id=alice.id)
    hijacked.mark_failed("alice was here", at(9))
    async with open_request() as r:
        assert await r.documents.update_states([ready, failed, gone, hijacked]) == {ready.id, failed.id}
        assert await r.documents.update_states([]) == set()
        await r.uow.commit()

    async with open_request() as r:
        stored = {d.id: d for d in await r.documents.get_many(alice.id, [ready.id, failed.id])}
        assert await r.documents.get(alice.id, gone.id) is None
        assert await r.documents.get(bob.id, foreign.id) == foreign
    assert (stored[ready.id].status, stored[ready.id].chunks_total, stored[ready.id].updated_at) == (
        DocumentStatus.READY, 12, at(5))  # fmt: skip
    assert stored[ready.id].tags == ["kept"]
    assert (stored[failed.id].status, stored[failed.id].failure_reason, stored[failed.id].chunks_done) == (
        DocumentStatus.FAILED, "the PDF is encrypted", 3)  # fmt: skip
