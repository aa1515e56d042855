"""Answers that know what they don't know, on the in-memory twins with the offline answerer: the relevance
floor, follow-up questions searched in context, and the chat's document scope."""

from __future__ import annotations

import uuid

from application.commands import CreateChat, RegisterUser, ResumeDelivery, SendMessage, UploadDocument
from application.frames import CitationFrame, TokenFrame
from domain.stages import Stage
from tests.support.memory_app import MemoryApp, memory_app

REDIS = b"# Redis\n\nRedis is an in-memory key value store used as a cache. Redis listens on port 6379."
NGINX = b"# Nginx\n\nNginx is a web server. Its default port: it listens on port 80 by default."
KRILL = b"# Krill\n\nKrill are small crustaceans. Penguins and whales eat krill in the Southern Ocean."


async def _owner_with_documents(app: MemoryApp, **files: bytes) -> uuid.UUID:
    user = await app.dispatch(RegisterUser(email=f"{uuid.uuid4().hex[:6]}@example.com", password="fine phrase"))
    for name, data in files.items():
        await app.dispatch(UploadDocument(owner_id=user.id, filename=f"{name}.md", content_type="", data=data))
    await app.run_jobs()
    return user.id  # type: ignore[no-any-return]


async def _ask(app: MemoryApp, owner: uuid.UUID, chat: uuid.UUID, text: str) -> tuple[str, list[str]]:
    """The answer's text and the files it cited."""
    replay = await app.dispatch(ResumeDelivery(owner_id=owner, chat_id=chat, after_seq=0))
    after = replay.frames[-1].seq if replay.frames else 0
    await app.dispatch(SendMessage(owner_id=owner, chat_id=chat, client_msg_id=uuid.uuid4().hex, text=text))
    await app.run_jobs()
    frames = (await app.dispatch(ResumeDelivery(owner_id=owner, chat_id=chat, after_seq=after))).frames
    answer = "".join(f.text for f in frames if isinstance(f, TokenFrame))
    return answer, [f.citation.filename for f in frames if isinstance(f, CitationFrame)]


async def test_below_the_floor_the_answer_says_the_documents_do_not_cover_it_and_cites_nothing() -> None:
    async with memory_app(relevance_floor=0.15) as app:
        owner = await _owner_with_documents(app, redis=REDIS, krill=KRILL)
        chat = (await app.dispatch(CreateChat(owner_id=owner, stage=Stage.ANSWERING))).id
        answer, cited = await _ask(app, owner, chat, "What is the capital of Australia?")
        assert "do not cover this question" in answer and cited == []
        answer, cited = await _ask(app, owner, await _new_chat(app, owner), "What do penguins eat?")
        assert cited and cited[0] == "krill.md"


async def test_without_a_floor_the_best_passages_are_quoted_even_when_unrelated() -> None:
    async with memory_app(relevance_floor=0.0) as app:
        owner = await _owner_with_documents(app, redis=REDIS, krill=KRILL)
        chat = (await app.dispatch(CreateChat(owner_id=owner, stage=Stage.ANSWERING))).id
        _, cited = await _ask(app, owner, chat, "What is the capital of Australia?")
        assert cited  # the old behaviour the floor exists to prevent


async def test_a_follow_up_is_searched_with_the_question_it_follows() -> None:
    async with memory_app(relevance_floor=0.0) as app:
        owner = await _owner_with_documents(app, redis=REDIS, nginx=NGINX)
        chat = (await app.dispatch(CreateChat(owner_id=owner, stage=Stage.ANSWERING))).id
        _, cited = await _ask(app, owner, chat, "What is Redis used for?")
        assert cited[0] == "redis.md"
        _, alone = await _ask(app, owner, await _new_chat(app, owner), "Which default port does it listen on?")
        assert alone[0] == "nginx.md"  # the words alone point at the web server
        _, cited = await _ask(app, owner, chat, "Which default port does it listen on?")
        assert cited[0] == "redis.md"  # "it" is Redis


async def _new_chat(app: MemoryApp, owner: uuid.UUID) -> uuid.UUID:
    return (await app.dispatch(CreateChat(owner_id=owner, stage=Stage.ANSWERING))).id  # type: ignore[no-any-return]
