"""A chat message with control characters in its text or ``client_msg_id`` is refused as ``invalid_input``
(not retryable: re-sending the same frame cannot succeed) and nothing is stored."""

from __future__ import annotations

import uuid

import pytest

from application.commands import CreateChat, GetChat, RegisterUser, SendMessage
from application.retries import is_retryable
from domain.errors import InvalidInput
from domain.stages import Stage
from tests.support.memory_app import memory_app


@pytest.mark.parametrize(
    ("client_msg_id", "text", "field"),
    [
        ("m1", "a\x00b", "text"),
        ("m1", "\x1b[31mred", "text"),
        ("m\x00", "hello", "client_msg_id"),
        ("m\n", "hello", "client_msg_id"),
    ],
)
async def test_control_characters_are_invalid_input(client_msg_id: str, text: str, field: str) -> None:
    async with memory_app() as app:
        user = await app.dispatch(RegisterUser(email=f"{uuid.uuid4().hex[:6]}@example.com", password="fine phrase"))
        chat = await app.dispatch(CreateChat(owner_id=user.id, stage=Stage.TEST))
        with pytest.raises(InvalidInput) as refused:
            await app.dispatch(SendMessage(owner_id=user.id, chat_id=chat.id, client_msg_id=client_msg_id, text=text))
        assert refused.value.field == field and refused.value.code == "invalid_input"
        assert not is_retryable(refused.value)
        assert (await app.dispatch(GetChat(owner_id=user.id, chat_id=chat.id))).messages == []
        # Tabs and newlines are fine inside a message.
        sent = await app.dispatch(SendMessage(owner_id=user.id, chat_id=chat.id, client_msg_id="ok", text="a\n\tb"))
        assert sent.content == "a\n\tb"
