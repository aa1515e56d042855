from application.prompting.citations import CitationScanner, cited_numbers, cited_passages
from tests.unit.prompting.factories import passage


def test_numbers_are_found_in_every_marker_form_once_in_first_cited_order() -> None:
    text = "Cats sleep [3]. Dogs bark [1, 2]. Both [2][3]. Range [4-5]. Dash [6\u20137]."
    assert cited_numbers(text, passage_count=7) == [3, 1, 2, 4, 5, 6, 7]


def test_numbers_naming_no_passage_and_non_markers_are_ignored() -> None:
    text = "See [9], [0], [a link](http://x), [1 2] and [2]."
    assert cited_numbers(text, passage_count=3) == [2]


def test_cited_passages_are_the_prompt_passages_the_answer_cited() -> None:
    passages = [passage("one"), passage("two", page=4), passage("three")]

    citations = cited_passages("It is two [2], really [2] and one [1].", passages)

    assert [(c.n, c.chunk_id, c.text, c.page) for c in citations] == [
        (2, passages[1].chunk_id, "two", 4),
        (1, passages[0].chunk_id, "one", None),
    ]


def test_scanner_reports_each_citation_once_as_soon_as_its_marker_is_complete() -> None:
    passages = [passage("one"), passage("two"), passage("three")]
    scanner = CitationScanner(passages)

    reported = [[c.n for c in scanner.feed(delta)] for delta in ["Cats [", "2", "] sleep [1", ", 3] and [2]", " end"]]

    assert reported == [[], [], [2], [1, 3], []]
    assert scanner.finish() == []


def test_scanner_finish_does_not_invent_citations_from_an_unclosed_marker() -> None:
    scanner = CitationScanner([passage("one")])
    assert scanner.feed("trailing [1") == []
    assert scanner.finish() == []
