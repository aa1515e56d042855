"""A new chat is named after its first question in the background; the user's own title always wins; open
sockets hear ``title_changed``. On the in-memory twins, with the offline (cut) titler and a scripted model."""

from __future__ import annotations

import uuid
from collections.abc import AsyncGenerator

import pytest

from application.commands import CreateChat, GetChat, RegisterUser, RenameChat, ResumeDelivery, SendMessage, TitleChat
from application.frames import TitleChangedFrame
from application.ports.chat_model import CompletionRequest, TextDelta, Usage
from application.titles.cut_titler import cut_title
from application.titles.model_titler import ModelTitler
from domain.stages import Stage
from tests.support.memory_app import MemoryApp, memory_app


@pytest.mark.parametrize(
    ("question", "title"),
    [
        ("  What does **pgvector** add to PostgreSQL?  ", "What does pgvector add to PostgreSQL?"),
        ("Summarise the lease.\nAlso the deposit rules", "Summarise the lease"),
        (
            "Tell me everything you know about the tenancy agreement and its many clauses, please",
            "Tell me everything you know about the tenancy agreement and…",
        ),
        ('"Quoted" words, and `code`!', "Quoted words, and code"),
        ("?!", ""),
    ],
)
def test_the_offline_title_is_a_clean_cut_of_the_question(question: str, title: str) -> None:
    assert cut_title(question) == title
    assert len(cut_title(question)) <= 60


async def _chat(app: MemoryApp, title: str | None = None) -> tuple[uuid.UUID, uuid.UUID]:
    user = await app.dispatch(RegisterUser(email=f"{uuid.uuid4().hex[:8]}@example.com", password="a fine passphrase"))
    chat = await app.dispatch(CreateChat(owner_id=user.id, title=title, stage=Stage.TEST))
    return user.id, chat.id


async def _ask(app: MemoryApp, owner: uuid.UUID, chat: uuid.UUID, text: str) -> None:
    await app.dispatch(SendMessage(owner_id=owner, chat_id=chat, client_msg_id=uuid.uuid4().hex, text=text))


async def test_the_first_question_names_a_new_chat_and_open_sockets_hear_it() -> None:
    async with memory_app() as app:
        owner, chat = await _chat(app)
        await _ask(app, owner, chat, "Which port does IMAP use?")
        await _ask(app, owner, chat, "And SMTP?")
        queued = [job for job in (await app.jobs()).jobs.values() if isinstance(job, TitleChat)]
        assert len(queued) == 1, "only the first question names the chat"
        await app.run_jobs()

        named = (await app.dispatch(GetChat(owner_id=owner, chat_id=chat))).chat
        assert (named.title, named.titled_by_user) == ("Which port does IMAP use?", False)
        replay = await app.dispatch(ResumeDelivery(owner_id=owner, chat_id=chat, after_seq=0))
        assert [f.title for f in replay.frames if isinstance(f, TitleChangedFrame)] == ["Which port does IMAP use?"]


async def test_the_users_title_always_wins() -> None:
    async with memory_app() as app:
        owner, chat = await _chat(app)
        await _ask(app, owner, chat, "Which port does IMAP use?")
        [job] = [job for job in (await app.jobs()).take_all() if isinstance(job, TitleChat)]
        await app.dispatch(RenameChat(owner_id=owner, chat_id=chat, title="Mail servers"))  # before the job runs
        assert await app.dispatch(job) is None
        assert (await app.dispatch(GetChat(owner_id=owner, chat_id=chat))).chat.title == "Mail servers"
        replay = await app.dispatch(ResumeDelivery(owner_id=owner, chat_id=chat, after_seq=0))
        assert [f.title for f in replay.frames if isinstance(f, TitleChangedFrame)] == ["Mail servers"]

        owner, named = await _chat(app, title="Chosen at creation")
        await _ask(app, owner, named, "Which port does IMAP use?")
        assert not [job for job in (await app.jobs()).jobs.values() if isinstance(job, TitleChat)], \
            "a chat the user named gets no title job"
        await app.run_jobs()
        assert (await app.dispatch(GetChat(owner_id=owner, chat_id=named))).chat.title == "Chosen at creation"


class TitleModel:
    name = "title-model"

    def __init__(self, reply: str) -> None:
        self.reply = reply
        self.requests: list[CompletionRequest] = []

    async def stream(self, request: CompletionRequest) -> AsyncGenerator[TextDelta | Usage, None]:
        self.requests.append(request)
        for word in self.reply.split(" "):
            yield TextDelta(text=word + " ")


async def test_a_configured_model_writes_the_title_and_a_bad_reply_falls_back_to_the_question() -> None:
    model = TitleModel('"Mail ports for IMAP"')
    assert await ModelTitler(model).title("Which port does IMAP use?") == "Mail ports for IMAP"
    assert model.requests[0].messages[-1].content == "Which port does IMAP use?"
    assert await ModelTitler(TitleModel("")).title("Which port does IMAP use?") == "Which port does IMAP use?"
