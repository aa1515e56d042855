"""Token usage: recorded after every answer by a job, counted once however often the job runs."""

from __future__ import annotations

from application.commands import DeleteChat, GetChat, GetUsage, RecordTokenUsage
from domain.messages import Role
from domain.usage import UsageTotals
from tests.support.memory_app import memory_app
from tests.unit.jobs.helpers import say, user_and_chat


async def test_each_answer_is_counted_once_per_chat_and_in_the_total() -> None:
    async with memory_app() as app:
        owner, chat = await user_and_chat(app, "Budget")
        await say(app, owner, chat, "What is the travel budget?")
        await say(app, owner, chat, "And for hotels?")
        history = await app.dispatch(GetChat(owner_id=owner, chat_id=chat))
        answers = [m for m in history.messages if m.role is Role.ASSISTANT]
        prompt = sum(m.prompt_tokens for m in answers)
        completion = sum(m.completion_tokens for m in answers)
        assert len(answers) == 2 and prompt > 0 and completion > 0

        report = await app.dispatch(GetUsage(user_id=owner))
        assert (report.total.prompt_tokens, report.total.completion_tokens) == (prompt, completion)
        [per_chat] = report.chats
        assert (per_chat.chat_id, per_chat.title, per_chat.totals) == (chat, "Budget", report.total)
        assert report.total.estimated_tokens == prompt + completion  # the offline answerer counts, it is not told

        for answer in answers:  # the job delivered again, as arq may
            await app.dispatch(RecordTokenUsage(owner_id=owner, chat_id=chat, message_id=answer.id,
                                                prompt_tokens=answer.prompt_tokens,
                                                completion_tokens=answer.completion_tokens, estimated=True))
        assert await app.dispatch(GetUsage(user_id=owner)) == report


async def test_a_deleted_chat_still_counts_in_the_total_and_in_a_deleted_chats_row() -> None:
    async with memory_app() as app:
        owner, first = await user_and_chat(app, "First")
        other_owner, _ = await user_and_chat(app, "Other user's")
        await say(app, owner, first, "hello there")
        before = await app.dispatch(GetUsage(user_id=owner))
        assert (await app.dispatch(GetUsage(user_id=other_owner))).total.total_tokens == 0

        await app.dispatch(DeleteChat(owner_id=owner, chat_id=first))
        after = await app.dispatch(GetUsage(user_id=owner))
        assert after.chats == []
        assert after.total == before.total and after.total.total_tokens > 0
        assert after.deleted_chats == before.total and before.deleted_chats == UsageTotals()
