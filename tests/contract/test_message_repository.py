from __future__ import annotations

import asyncio
import uuid

import msgspec
import pytest

from domain.errors import Conflict, NotFound
from domain.messages import ChatMessage, Citation, MessageStatus, Role, TurnFailure
from tests.contract.persistence import OpenRequest, at, new_message, seed_chat


async def _append(open_request: OpenRequest, chat_id: uuid.UUID, count: int) -> list[ChatMessage]:
    async with open_request() as r:
        stored = [await r.messages.add(new_message(chat_id, content=f"m{i}")) for i in range(1, count + 1)]
        await r.uow.commit()
    return stored


async def test_messages_get_consecutive_positions_per_chat(open_request: OpenRequest) -> None:
    first, second = await seed_chat(open_request), await seed_chat(open_request)

    in_first = await _append(open_request, first.id, 3)
    in_second = await _append(open_request, second.id, 2)

    assert [m.position for m in in_first] == [1, 2, 3]
    assert [m.position for m in in_second] == [1, 2]


async def test_history_pages_backwards_and_reads_oldest_first(open_request: OpenRequest) -> None:
    chat = await seed_chat(open_request)
    await _append(open_request, chat.id, 7)

    async with open_request() as r:
        latest = await r.messages.list(chat.id, before=None, limit=3)
        earlier = await r.messages.list(chat.id, before=latest[0].position, limit=3)
        earliest = await r.messages.list(chat.id, before=earlier[0].position, limit=3)
        past_the_start = await r.messages.list(chat.id, before=1, limit=3)
        all_of_them = await r.messages.list(chat.id, before=None, limit=10)

    assert [m.content for m in latest] == ["m5", "m6", "m7"]
    assert [m.content for m in earlier] == ["m2", "m3", "m4"]
    assert [m.content for m in earliest] == ["m1"]
    assert past_the_start == []
    assert [m.content for m in all_of_them] == [f"m{i}" for i in range(1, 8)]


async def test_a_reused_client_msg_id_conflicts_and_consumes_no_position(open_request: OpenRequest) -> None:
    chat = await seed_chat(open_request)
    async with open_request() as r:
        original = await r.messages.add(new_message(chat.id, "hi", client_msg_id="c-1"))
        await r.uow.commit()

    async with open_request() as r:
        with pytest.raises(Conflict):
            await r.messages.add(new_message(chat.id, "hi again", client_msg_id="c-1"))
        following = await r.messages.add(new_message(chat.id, "next", client_msg_id="c-2"))
        found = await r.messages.get_by_client_msg_id(chat.id, "c-1")
        await r.uow.commit()

    assert found == original
    assert following.position == original.position + 1


async def test_client_msg_ids_are_scoped_to_their_chat(open_request: OpenRequest) -> None:
    first, second = await seed_chat(open_request), await seed_chat(open_request)
    async with open_request() as r:
        await r.messages.add(new_message(first.id, client_msg_id="same"))
        await r.messages.add(new_message(second.id, client_msg_id="same"))
        await r.uow.commit()
        assert await r.messages.get_by_client_msg_id(first.id, "other") is None


async def test_a_message_is_found_only_in_its_own_chat(open_request: OpenRequest) -> None:
    chat, other = await seed_chat(open_request), await seed_chat(open_request)
    [message] = await _append(open_request, chat.id, 1)

    async with open_request() as r:
        assert await r.messages.get(chat.id, message.id) == message
        assert await r.messages.get(other.id, message.id) is None


async def test_a_message_cannot_be_added_to_a_missing_chat(open_request: OpenRequest) -> None:
    async with open_request() as r:
        with pytest.raises(NotFound):
            await r.messages.add(new_message(uuid.uuid4()))


async def test_an_answer_keeps_its_content_status_citations_and_usage(open_request: OpenRequest) -> None:
    chat = await seed_chat(open_request)
    async with open_request() as r:
        question = await r.messages.add(new_message(chat.id, "why?"))
        answer = await r.messages.add(
            ChatMessage(
                id=uuid.uuid4(),
                chat_id=chat.id,
                role=Role.ASSISTANT,
                content="",
                created_at=question.created_at,
                status=MessageStatus.PENDING,
                reply_to=question.id,
            )
        )
        await r.uow.commit()

    answer.content = "Because [1]."
    answer.status = MessageStatus.COMPLETE
    answer.citations = [
        Citation(
            n=1,
            chunk_id=uuid.uuid4(),
            document_id=uuid.uuid4(),
            filename="notes.md",
            text="the reason",
            page=2,
            heading_path=["Intro", "Why"],
            char_start=10,
            char_end=20,
        )
    ]
    answer.prompt_tokens, answer.completion_tokens = 120, 7
    async with open_request() as r:
        await r.messages.update(answer)
        await r.uow.commit()

    async with open_request() as r:
        assert await r.messages.get(chat.id, answer.id) == answer


async def test_an_interrupted_question_keeps_why_until_it_is_retried(open_request: OpenRequest) -> None:
    chat = await seed_chat(open_request)
    async with open_request() as r:
        question = await r.messages.add(new_message(chat.id, "why?"))
        await r.uow.commit()
    question.status = MessageStatus.INTERRUPTED
    question.error = TurnFailure(code="model_unavailable", message="the model is down", retryable=True)
    async with open_request() as r:
        await r.messages.update(question)
        await r.uow.commit()
    async with open_request() as r:
        assert await r.messages.get(chat.id, question.id) == question

    question.status, question.error = MessageStatus.PENDING, None
    async with open_request() as r:
        await r.messages.update(question)
        await r.uow.commit()
    async with open_request() as r:
        stored = await r.messages.get(chat.id, question.id)
    assert stored is not None and (stored.status, stored.error) == (MessageStatus.PENDING, None)


async def test_concurrent_appends_to_one_chat_get_distinct_positions(open_request: OpenRequest) -> None:
    chat = await seed_chat(open_request)

    async def append_in_own_request(i: int) -> int:
        async with open_request() as r:
            stored = await r.messages.add(new_message(chat.id, content=f"m{i}"))
            await asyncio.sleep(0)  # let the other requests reach their append while this one holds the chat
            await r.uow.commit()
            return stored.position

    positions = await asyncio.gather(*(append_in_own_request(i) for i in range(5)))

    assert sorted(positions) == [1, 2, 3, 4, 5]


async def test_only_the_first_of_two_turns_settles_a_pending_question(open_request: OpenRequest) -> None:
    chat = await seed_chat(open_request)
    async with open_request() as r:
        question = await r.messages.add(msgspec.structs.replace(new_message(chat.id, "why?"),
                                                                status=MessageStatus.PENDING))
        await r.uow.commit()
    failure = TurnFailure(code="stopped", message="the answer was stopped")

    async def settle_in_own_request(status: MessageStatus) -> bool:
        outcome = msgspec.structs.replace(question, status=status,
                                          error=failure if status is MessageStatus.INTERRUPTED else None)
        async with open_request() as r:
            settled = await r.messages.settle(outcome)
            await asyncio.sleep(0)  # the other turn reaches its settle while this one holds the row
            await r.uow.commit()
            return settled

    outcomes = await asyncio.gather(settle_in_own_request(MessageStatus.COMPLETE),
                                    settle_in_own_request(MessageStatus.INTERRUPTED))
    async with open_request() as r:
        stored = await r.messages.get(chat.id, question.id)
        settled_again = await r.messages.settle(msgspec.structs.replace(question, status=MessageStatus.COMPLETE))
        await r.uow.rollback()

    assert sorted(outcomes) == [False, True] and not settled_again
    assert stored is not None
    winner = MessageStatus.COMPLETE if outcomes[0] else MessageStatus.INTERRUPTED
    assert (stored.status, stored.error) == (winner, None if winner is MessageStatus.COMPLETE else failure)


async def test_concurrent_resends_of_a_client_msg_id_store_it_once_leaving_no_gap(open_request: OpenRequest) -> None:
    chat = await seed_chat(open_request)

    async def send_in_own_request(i: int) -> ChatMessage | None:
        async with open_request() as r:
            try:
                stored = await r.messages.add(new_message(chat.id, f"try {i}", client_msg_id="same"))
            except Conflict:
                await r.uow.commit()  # the conflict left the transaction usable: nothing of it is kept
                return None
            await asyncio.sleep(0)  # the other sends reach their append while this one holds the chat
            await r.uow.commit()
            return stored

    outcomes = await asyncio.gather(*(send_in_own_request(i) for i in range(4)))
    [stored] = [m for m in outcomes if m is not None]
    async with open_request() as r:
        following = await r.messages.add(new_message(chat.id, "next"))
        await r.uow.commit()
        history = await r.messages.list(chat.id, before=None, limit=10)

    assert [m.id for m in history] == [stored.id, following.id]
    assert (stored.position, following.position) == (1, 2)


async def test_an_add_for_an_owner_stores_only_in_that_owners_chat(open_request: OpenRequest) -> None:
    chat = await seed_chat(open_request)
    async with open_request() as r:
        with pytest.raises(NotFound):
            await r.messages.add(new_message(chat.id, content="not yours"), owner_id=uuid.uuid4())
        with pytest.raises(NotFound):
            await r.messages.add(new_message(uuid.uuid4()), owner_id=chat.owner_id)
        stored = await r.messages.add(new_message(chat.id, content="yours"), owner_id=chat.owner_id)
        await r.uow.commit()

    assert stored.position == 1  # the refused one took no position
    async with open_request() as r:
        assert [m.content for m in await r.messages.list(chat.id, before=None, limit=10)] == ["yours"]


async def test_a_question_added_tells_whether_its_chats_title_is_still_open(open_request: OpenRequest) -> None:
    chat = await seed_chat(open_request)
    async with open_request() as r:
        with pytest.raises(NotFound):
            await r.messages.add_question(new_message(chat.id, content="not yours"), owner_id=uuid.uuid4())
        first = await r.messages.add_question(new_message(chat.id, content="first", client_msg_id="c1"),
                                              owner_id=chat.owner_id)  # fmt: skip
        with pytest.raises(Conflict):
            await r.messages.add_question(new_message(chat.id, content="again", client_msg_id="c1"),
                                          owner_id=chat.owner_id)  # fmt: skip
        await r.uow.commit()
    assert (first.message.position, first.message.content, first.title_open) == (1, "first", True)

    chat.rename("Named by the user", at(5))
    async with open_request() as r:
        await r.chats.update(chat)
        second = await r.messages.add_question(new_message(chat.id, content="second"), owner_id=chat.owner_id)
        await r.uow.commit()
    assert (second.message.position, second.title_open) == (2, False)  # the conflict took no position
    async with open_request() as r:
        stored = await r.messages.list(chat.id, before=None, limit=10)
    assert [m.content for m in stored] == ["first", "second"]
