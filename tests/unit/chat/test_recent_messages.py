"""The stage manager's page of newest messages answers the history read it replaces, or says it cannot."""

from __future__ import annotations

from application.chat.recent_messages import RecentMessages
from application.ports.conversation_reader import Conversation
from application.ports.message_repository import MessageRepository
from domain.chats import Chat
from tests.contract.persistence import memory_backend, new_message, seed_chat


async def _page(messages: MessageRepository, chat: Chat, limit: int) -> RecentMessages:
    """The page as ``ConversationReader`` returns it (its contract test holds it to the repository's reads)."""
    newest = await messages.list(chat.id, before=None, limit=limit)
    return RecentMessages.of(Conversation(chat=chat, newest=newest, context=None), limit)


async def test_a_history_taken_from_the_page_is_the_one_the_repository_reads() -> None:
    open_request = memory_backend()
    chats = [(await seed_chat(open_request), size) for size in (0, 3, 7, 12)]
    async with open_request() as r:
        for chat, size in chats:
            for i in range(size):
                await r.messages.add(new_message(chat.id, content=f"m{i}"))
        await r.uow.commit()

    answered = taken = 0
    async with open_request() as r:
        for chat, size in chats:
            for page in (1, 5, 7, 8, 20):
                recent = await _page(r.messages, chat, page)
                for position in range(1, size + 2):
                    for limit in (0, 1, 3, 6, 40):
                        history = recent.before(position, limit)
                        expected = await r.messages.list(chat.id, before=position, limit=limit)
                        answered += 1
                        if history is not None:
                            taken += 1
                            assert history == expected, (size, page, position, limit)

    assert taken > answered // 2  # most histories come from the page; the rest are read


async def test_the_page_finds_the_question_it_holds() -> None:
    open_request = memory_backend()
    chat = await seed_chat(open_request)
    async with open_request() as r:
        question = await r.messages.add(new_message(chat.id, "why?"))
        await r.uow.commit()
        recent = await _page(r.messages, chat, 10)

    assert recent.whole_chat and recent.find(question.id) == question
    assert recent.find(chat.id) is None
