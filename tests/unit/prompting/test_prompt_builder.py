import uuid

from application.prompting.instructions import ANSWERING_SYSTEM_PROMPT, TEST_SYSTEM_PROMPT
from application.prompting.prompt_builder import PromptLimits, build_completion_request
from domain.chats import ChatSettings
from domain.context import ChatContext
from domain.messages import Role
from domain.stages import Stage
from tests.unit.prompting.factories import CHAT_ID, conversation, message, passage


def words(text: str) -> int:
    return len(text.split())


def test_answering_prompt_numbers_the_passages_and_asks_the_question_last() -> None:
    passages = [passage("Cats sleep sixteen hours.", page=3), passage("Dogs bark.", filename="dogs.pdf")]

    request = build_completion_request(stage=Stage.ANSWERING, question="How long do cats sleep?", passages=passages)

    assert [m.role for m in request.messages] == ["system", "user"]
    assert request.messages[0].content == ANSWERING_SYSTEM_PROMPT
    user = request.messages[-1].content
    assert "[1] (guide.md, page 3)\nCats sleep sixteen hours." in user
    assert "[2] (dogs.pdf)\nDogs bark." in user
    assert user.endswith("How long do cats sleep?")
    assert request.passages == passages
    assert request.question == "How long do cats sleep?"
    assert request.stage is Stage.ANSWERING
    assert request.max_tokens == PromptLimits().max_answer_tokens


def test_the_rolling_summary_goes_into_the_system_prompt() -> None:
    context = ChatContext(chat_id=CHAT_ID, summary="The user keeps cats.")

    request = build_completion_request(stage=Stage.ANSWERING, question="q", context=context)

    assert request.messages[0].content.startswith(ANSWERING_SYSTEM_PROMPT)
    assert request.messages[0].content.endswith("The user keeps cats.")


def test_the_chats_instructions_follow_the_rules_and_precede_the_summary() -> None:
    context = ChatContext(chat_id=CHAT_ID, summary="The user keeps cats.")
    settings = ChatSettings(model="m", instructions="Answer in French.", temperature=0.4)

    request = build_completion_request(stage=Stage.ANSWERING, question="q", context=context, settings=settings)

    system = request.messages[0].content
    assert system.startswith(ANSWERING_SYSTEM_PROMPT)
    assert system.index("Answer in French.") < system.index("The user keeps cats.")
    assert (request.model, request.temperature) == ("m", 0.4)


def test_test_stage_is_free_chat_without_passages() -> None:
    request = build_completion_request(stage=Stage.TEST, question="Tell me a joke", passages=[passage("x")])

    assert request.messages[0].content == TEST_SYSTEM_PROMPT
    assert request.messages[-1].content == "Tell me a joke"
    assert request.passages == []
    assert request.stage is Stage.TEST


def test_turns_already_folded_into_the_summary_are_not_replayed() -> None:
    history = conversation("first q", "first a", "second q", "second a")
    context = ChatContext(chat_id=CHAT_ID, summary="s", summarized_through=2)

    request = build_completion_request(stage=Stage.TEST, question="third q", history=history, context=context)

    assert [(m.role, m.content) for m in request.messages[1:]] == [
        ("user", "second q"),
        ("assistant", "second a"),
        ("user", "third q"),
    ]


def test_passages_that_do_not_fit_are_left_out_and_the_rest_renumbered() -> None:
    big = passage(" ".join(["word"] * 400))
    small = [passage("small one"), passage("small two")]
    limits = PromptLimits(context_window=300, max_answer_tokens=50)

    request = build_completion_request(
        stage=Stage.ANSWERING,
        question="q",
        passages=[small[0], big, small[1]],
        limits=limits,
        count_tokens=words,
    )

    assert request.passages == small
    assert "[2] (guide.md)\nsmall two" in request.messages[-1].content


def test_history_keeps_the_newest_turns_that_fit_without_holes() -> None:
    history = conversation(*(f"turn {i} " + "pad " * 20 for i in range(10)))
    limits = PromptLimits(context_window=200, max_answer_tokens=20)

    request = build_completion_request(
        stage=Stage.TEST, question="now", history=history, limits=limits, count_tokens=words
    )

    replayed = [m.content.split()[1] for m in request.messages[1:-1]]
    assert replayed == [str(i) for i in range(int(replayed[0]), 10)]
    assert 0 < len(replayed) < 10
    assert request.messages[1].role == "user"


def test_history_is_capped_at_the_message_limit() -> None:
    history = conversation(*(f"m{i}" for i in range(30)))

    request = build_completion_request(
        stage=Stage.TEST, question="q", history=history, limits=PromptLimits(max_history_messages=4)
    )

    assert [m.content for m in request.messages[1:]] == ["m26", "m27", "m28", "m29", "q"]


def test_roles_alternate_for_strict_chat_templates() -> None:
    history = [
        message(Role.ASSISTANT, "greeting", 1),
        message(Role.USER, "unanswered question", 2),
        message(Role.ASSISTANT, "", 3),
    ]

    request = build_completion_request(stage=Stage.TEST, question="again?", history=history)

    assert [(m.role, m.content) for m in request.messages] == [
        ("system", TEST_SYSTEM_PROMPT),
        ("user", "unanswered question\n\nagain?"),
    ]


def test_a_summary_too_long_for_the_window_is_dropped_not_cut() -> None:
    context = ChatContext(chat_id=uuid.uuid4(), summary="long " * 500)
    limits = PromptLimits(context_window=300, max_answer_tokens=50)

    request = build_completion_request(
        stage=Stage.TEST, question="q", context=context, limits=limits, count_tokens=words
    )

    assert request.messages[0].content == TEST_SYSTEM_PROMPT
