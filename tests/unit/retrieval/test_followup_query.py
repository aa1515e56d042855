"""What a follow-up question is searched as: combined with the previous question offline, rewritten by the
model when there is one, and never slower or less reliable than the combination."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncGenerator
from datetime import UTC, datetime

from application.ports.chat_model import CompletionRequest, TextDelta, Usage
from application.retrieval.followup_query import CombiningQueryRewriter, combined_query
from application.retrieval.model_query_rewriter import ModelQueryRewriter
from domain.messages import ChatMessage, MessageStatus, Role

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def _message(role: Role, content: str) -> ChatMessage:
    return ChatMessage(
        id=uuid.uuid4(), chat_id=uuid.uuid4(), role=role, content=content, created_at=T0, status=MessageStatus.COMPLETE
    )


HISTORY = [_message(Role.USER, "What is Redis?"), _message(Role.ASSISTANT, "An in-memory store [1].")]


class ScriptedModel:
    def __init__(self, reply: str = "", fail: bool = False, delay: float = 0.0) -> None:
        self.reply, self.fail, self.delay = reply, fail, delay
        self.requests: list[CompletionRequest] = []

    @property
    def name(self) -> str:
        return "scripted"

    async def stream(self, request: CompletionRequest) -> AsyncGenerator[TextDelta | Usage, None]:
        self.requests.append(request)
        await asyncio.sleep(self.delay)
        if self.fail:
            raise RuntimeError("model down")
        yield TextDelta(text=self.reply)
        yield Usage(prompt_tokens=1, completion_tokens=1)


def test_a_first_question_is_searched_as_it_is() -> None:
    assert combined_query("What is Redis?", []) == "What is Redis?"


def test_a_follow_up_is_searched_with_the_previous_user_question_only() -> None:
    assert combined_query("and its default port?", ["What is Redis?"]) == "and its default port? What is Redis?"
    long = "word " * 300
    assert len(combined_query("and then?", [long])) <= len("and then? ") + 400


async def test_offline_the_previous_user_question_is_combined_not_the_answer() -> None:
    query = await CombiningQueryRewriter().standalone("Which port does it use?", HISTORY)
    assert query == "Which port does it use? What is Redis?"


async def test_with_a_model_a_follow_up_is_rewritten_in_one_short_call() -> None:
    model = ScriptedModel('"default port of Redis"\n')
    query = await ModelQueryRewriter(model).standalone("Which port does it use?", HISTORY)
    assert query == "default port of Redis"
    assert len(model.requests) == 1 and model.requests[0].max_tokens == 48
    assert "What is Redis?" in model.requests[0].messages[-1].content


async def test_with_a_model_a_first_question_makes_no_call() -> None:
    model = ScriptedModel("unused")
    assert await ModelQueryRewriter(model).standalone("What is Redis?", []) == "What is Redis?"
    assert model.requests == []


async def test_a_failed_slow_or_rambling_rewrite_falls_back_to_the_combination() -> None:
    combined = "Which port does it use? What is Redis?"
    for model in (ScriptedModel(fail=True), ScriptedModel("x", delay=5.0), ScriptedModel("word " * 100)):
        rewriter = ModelQueryRewriter(model, timeout_seconds=0.2)
        assert await rewriter.standalone("Which port does it use?", HISTORY) == combined
