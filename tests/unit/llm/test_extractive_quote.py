"""The offline answerer quotes whole sentences, and never cuts off the one that answers."""

from __future__ import annotations

from adapters.llm.extractive_quote import quote, sentences

GROUPS = (
    "Groups on this system:\n\n"
    "audio\n    Access to sound devices.\n"
    "dialout\n    Full and direct access to serial ports. Members can reconfigure the modem.\n"
    "plugdev\n    Access to external storage devices, mounted automatically.\n"
)


def test_a_label_that_matches_brings_the_sentence_that_explains_it() -> None:
    text = quote(GROUPS, "What is the dialout group for?", 320)
    assert "dialout" in text and "Full and direct access to serial ports." in text
    assert "plugdev" not in text


def test_list_items_are_sentences_of_their_own_and_wrapped_prose_is_joined() -> None:
    prose = "Penguins live in the southern hemisphere and most of them\neat krill, fish and squid in cold water.\n"
    assert sentences(prose) == [
        "Penguins live in the southern hemisphere and most of them eat krill, fish and squid in cold water."
    ]
    assert sentences("Steps:\n- install it\n- run it\n1. then stop") == [
        "Steps:",
        "- install it",
        "- run it",
        "1. then stop",
    ]


def test_the_best_sentence_is_quoted_whole_even_when_longer_than_the_budget() -> None:
    long = "The replication port " + "of the primary server, " * 20 + "defaults to 6380 for every replica."
    text = quote(f"Intro sentence here. {long} Closing words.", "Which port does replication use?", 200)
    assert long in text


def test_other_sentences_join_only_whole_and_in_document_order() -> None:
    text = quote("Cats sleep a lot. Dogs bark. Cats purr when content. Birds sing.", "Do cats purr or sleep?", 60)
    assert text == "Cats sleep a lot. … Cats purr when content."
    assert quote("Cats sleep a lot. Dogs bark.", "cats", 20) == "Cats sleep a lot."


def test_without_any_shared_word_the_opening_sentences_are_quoted() -> None:
    assert quote("First things first. Then the rest follows.", "zebra?", 30) == "First things first."


def test_only_an_enormous_sentence_is_shortened_and_around_its_match() -> None:
    words = " ".join(f"word{i}" for i in range(400)) + " the answer is here " + " ".join(f"tail{i}" for i in range(400))
    text = quote(words, "where is the answer", 100)
    assert "answer is here" in text and text.startswith("…") and text.endswith("…") and len(text) <= 310
