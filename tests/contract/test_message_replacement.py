"""An edit replaces a question and what followed it: the same assertions against the twin and PostgreSQL."""

from __future__ import annotations

import uuid

import msgspec

from domain.messages import ChatMessage, Role
from tests.contract.persistence import OpenRequest, new_message, seed_chat


def _answer(chat_id: uuid.UUID, question: ChatMessage, text: str) -> ChatMessage:
    return msgspec.structs.replace(new_message(chat_id, text), role=Role.ASSISTANT, reply_to=question.id)


async def test_an_edit_replaces_the_question_what_followed_and_their_answers(open_request: OpenRequest) -> None:
    chat = await seed_chat(open_request)
    async with open_request() as r:
        q1 = await r.messages.add(new_message(chat.id, "first", "c1"))
        q2 = await r.messages.add(new_message(chat.id, "second", "c2"))  # sent before q1 was answered
        a1 = await r.messages.add(_answer(chat.id, q1, "answer one"))
        a2 = await r.messages.add(_answer(chat.id, q2, "answer two"))
        q3 = await r.messages.add(new_message(chat.id, "third zebra", "c3"))
        edit = await r.messages.add(
            msgspec.structs.replace(new_message(chat.id, "second, edited", "e1"), replaces=q2.id)
        )
        a3 = await r.messages.add(_answer(chat.id, q3, "answer three, finished after the edit was sent"))
        later = await r.messages.add(new_message(chat.id, "sent after the edit", "c4"))
        await r.uow.commit()

    async with open_request() as r:
        replaced = await r.messages.supersede(edit)
        await r.uow.commit()
    assert replaced == [q2.id, a2.id, q3.id, a3.id]

    async with open_request() as r:
        assert [m.id for m in await r.messages.list(chat.id, before=None, limit=10)] == [
            q1.id,
            a1.id,
            edit.id,
            later.id,
        ]
        assert await r.messages.supersede(edit) == [], "applying an edit again marks nothing"
        stored = await r.messages.get(chat.id, q3.id)
        assert stored is not None and stored.superseded_by == edit.id and not stored.visible
        again = await r.messages.get_by_client_msg_id(chat.id, "e1")
        assert again is not None and again.replaces == q2.id and again.visible
        assert await r.chats.search(chat.owner_id, "zebra", 10) == [], "a replaced message is not searched"


async def test_editing_the_edit_drops_what_followed_it(open_request: OpenRequest) -> None:
    chat = await seed_chat(open_request)
    async with open_request() as r:
        q1 = await r.messages.add(new_message(chat.id, "question", "c1"))
        a1 = await r.messages.add(_answer(chat.id, q1, "answer"))
        redo = await r.messages.add(msgspec.structs.replace(new_message(chat.id, "question", "r1"), replaces=q1.id))
        await r.uow.commit()
    async with open_request() as r:
        assert await r.messages.supersede(redo) == [q1.id, a1.id]
        a2 = await r.messages.add(_answer(chat.id, redo, "another answer"))
        follow = await r.messages.add(new_message(chat.id, "follow-up", "c2"))
        redo_again = await r.messages.add(
            msgspec.structs.replace(new_message(chat.id, "question?", "r2"), replaces=redo.id)
        )
        assert await r.messages.supersede(redo_again) == [redo.id, a2.id, follow.id]
        await r.uow.commit()
    async with open_request() as r:
        assert [m.id for m in await r.messages.list(chat.id, before=None, limit=10)] == [redo_again.id]
