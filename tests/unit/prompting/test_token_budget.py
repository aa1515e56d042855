from application.ports.chat_model import PromptMessage
from application.prompting.token_budget import (
    MESSAGE_OVERHEAD_TOKENS,
    TokenBudget,
    count_message_tokens,
    estimate_tokens,
)


def test_empty_text_costs_nothing() -> None:
    assert estimate_tokens("") == 0
    assert estimate_tokens("   \n") == 0


def test_ascii_words_cost_one_token_per_started_four_characters_and_punctuation_one_each() -> None:
    assert estimate_tokens("the cat") == 2
    assert estimate_tokens("Hello, world!") == 2 + 1 + 2 + 1
    assert estimate_tokens("tokenization") == 3


def test_non_ascii_words_cost_one_token_per_character() -> None:
    assert estimate_tokens("日本語") == 3
    assert estimate_tokens("café") == 4


def test_longer_text_never_costs_less() -> None:
    text = "Retrieval augmented generation cites passages."
    assert estimate_tokens(text + " More words here.") > estimate_tokens(text)


def test_message_tokens_add_the_template_overhead_per_message() -> None:
    messages = [PromptMessage(role="system", content="the cat"), PromptMessage(role="user", content="hi")]
    assert count_message_tokens(messages) == 2 + 1 + 2 * MESSAGE_OVERHEAD_TOKENS
    assert count_message_tokens(messages, count=lambda text: 10) == 2 * (10 + MESSAGE_OVERHEAD_TOKENS)


def test_budget_spends_only_whole_pieces_that_fit() -> None:
    budget = TokenBudget(10)
    assert budget.take(6)
    assert not budget.take(5)
    assert budget.remaining == 4
    assert budget.take(4)
    assert budget.remaining == 0
    assert TokenBudget(-3).remaining == 0
