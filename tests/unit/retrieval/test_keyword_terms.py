"""The keyword leg's relaxations, from the text PostgreSQL prints for a parsed web-search query."""

from __future__ import annotations

import pytest

from adapters.postgres.keyword_terms import parse, preceding, relaxations, without_nested_negations

SHARES = {"python": 0.3, "librari": 0.05, "parser": 0.01}
FLOOR = 0.001


def test_the_strict_query_is_not_repeated_by_a_relaxation_naming_its_words_in_another_order() -> None:
    queries = relaxations(parse("'python' & 'parser' & 'librari'"), SHARES, FLOOR)
    assert queries == ["'python' & 'parser' & 'librari'", "'parser' & 'librari'", "'parser'", "'librari'", "'python'"]


def test_a_phrase_query_is_followed_by_the_conjunction_of_its_words() -> None:
    queries = relaxations(parse("'parser' <-> 'librari'"), SHARES, FLOOR)
    assert queries[:2] == ["'parser' <-> 'librari'", "'parser' & 'librari'"]


def test_exclusions_stay_in_every_relaxation() -> None:
    queries = relaxations(parse("'parser' & 'librari' & !'python'"), SHARES, FLOOR)
    assert queries == [
        "'parser' & 'librari' & !'python'",
        "( 'parser' ) & !'python'",
        "( 'librari' ) & !'python'",
    ]


def test_a_doubly_negated_group_is_one_exclusion_copied_whole_into_every_relaxation() -> None:
    parsed = parse("'command' & 'list' & !!( 'format' <-> 'json' )")  # websearch_to_tsquery of "--format=json"
    assert parsed.terms == ["'command'", "'list'"] and parsed.exclusions == ["!!( 'format' <-> 'json' )"]
    for query in relaxations(parsed, SHARES, FLOOR)[1:]:
        assert query.endswith(") & !!( 'format' <-> 'json' )") and query.count("(") == query.count(")")


def test_each_query_comes_with_the_disjunction_of_those_before_it() -> None:
    assert preceding(["'a' & 'b'", "'a'", "'b'"]) == [None, "( 'a' & 'b' )", "( 'a' & 'b' ) | ( 'a' )"]


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("a " + "-" * 40 + " b", "a -- b"),
        ("a " + "-" * 41 + "b", "a -b"),
        ("a " + "- " * 33 + "b", "a - b"),
        ("use --format=json", "use --format=json"),
        ("not -this", "not -this"),
        ("well-known co---op", "well-known co-op"),
    ],
)
def test_runs_of_negations_keep_their_parity_and_at_most_two(question: str, expected: str) -> None:
    assert without_nested_negations(question) == expected
