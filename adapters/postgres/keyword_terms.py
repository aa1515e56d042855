"""From a parsed web-search query to the bounded, relaxing sequence of full-text queries the keyword leg runs.

The strict query (``websearch_to_tsquery``: every word, quoted phrases, ``-word`` exclusions) comes first. A
natural-language question rarely has all its words in one passage, so when the strict query finds too few,
the next queries drop the query's informative words one at a time, most common first, and the last ones ask
for each word alone. "Informative" leaves out words that occur in a large share of all chunks (by the planner's
own statistics of ``tsv``): they would match most of a large owner's chunks; they still count in the score.
Exclusions stay in every query. ("At least m of the n words" as an OR of conjunctions was tried: the GIN
index must then evaluate every combination for every posting, 20-35 ms per query at 80k chunks.)

Everything here works on the text form PostgreSQL printed for the parsed query: its quoted lexemes are copied
verbatim into the new queries, so user text never reaches the tsquery syntax unquoted.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

_LEXEME = re.compile(r"'(?:[^'\\]|''|\\.)*'")
COMMON_SHARE = 0.2
"""Words found in more than this share of chunks do not select candidates (they still score)."""
MAX_SELECTING = 6
MAX_SCORING = 12


_NEGATIONS = re.compile(r"-(?:\s*-)+")


def without_nested_negations(question: str) -> str:
    """The question with every run of ``-`` (spaces between them or not) cut to one or two of the same parity.
    ``websearch_to_tsquery`` nests one NOT per ``-`` in a run before a word, and 32 nested NOTs overflow its
    parser's stack ("tsquery stack too small"): a question quoting a separator line or an ASCII table would
    fail the keyword search. Since ``!!x`` matches as ``x`` does, keeping the parity keeps the meaning."""
    return _NEGATIONS.sub(lambda run: "-" if run.group().count("-") % 2 else "--", question)


@dataclass(frozen=True)
class ParsedQuery:
    strict: str
    """The parsed query as PostgreSQL printed it."""
    terms: list[str]
    """Quoted lexemes that are not excluded, in order of first appearance, without repeats."""
    exclusions: list[str]
    """``!``-prefixed lexemes or groups, verbatim."""


def parse(printed: str) -> ParsedQuery:
    terms: list[str] = []
    exclusions: list[str] = []
    position = 0
    while position < len(printed):
        if printed[position] == "!":
            end = _operand_end(printed, position + 1)
            exclusions.append(printed[position:end])
            position = end
            continue
        match = _LEXEME.match(printed, position)
        if match:
            if match.group() not in terms:
                terms.append(match.group())
            position = match.end()
        else:
            position += 1
    return ParsedQuery(printed, terms, exclusions)


def _operand_end(printed: str, position: int) -> int:
    """The end of the operand starting at ``position``: a quoted lexeme (with a ``:*`` or weight suffix), or
    a parenthesised group, after any further ``!`` (``--format=json`` prints as ``!!( 'format' <-> 'json' )``)."""
    while position < len(printed) and printed[position] in " !":
        position += 1
    if position < len(printed) and printed[position] == "(":
        depth, index = 0, position
        while index < len(printed):
            quoted = _LEXEME.match(printed, index)
            if quoted:  # quoted text may contain parentheses
                index = quoted.end()
                continue
            depth += {"(": 1, ")": -1}.get(printed[index], 0)
            index += 1
            if depth == 0:
                return index
        return len(printed)
    match = _LEXEME.match(printed, position)
    end = match.end() if match else position
    while end < len(printed) and printed[end] not in " )":
        end += 1
    return end


def rarity(term: str, shares: dict[str, float], floor: float) -> float:
    """Inverse document frequency from the share of chunks holding the word; words missing from the
    statistics are rarer than the rarest listed one (``floor``)."""
    return idf(shares.get(term.strip("'").replace("''", "'"), floor / 2))


def idf(share: float) -> float:
    """BM25's inverse document frequency from the share of chunks holding a word, smoothed so that a word in
    every chunk still weighs a little."""
    return math.log(1.0 + (1.0 - share + 0.001) / (share + 0.001))


def relaxations(query: ParsedQuery, shares: dict[str, float], floor: float) -> list[str]:
    """The strict query; then all of the n rarest selecting words, all but the most common of them, and so on
    down to the rarest two; then each word alone, rarest first (common words too, last). Conjunctions are
    cheap for the GIN index (it skips through the longer posting lists using the rarest one), a single rare
    word has a short posting list, and the rarest words are the ones a good match must have: a plain
    disjunction would fill the candidates with whatever chunks come first that hold the commonest words."""
    by_rarity = sorted(query.terms, key=lambda term: -rarity(term, shares, floor))
    selecting = [term for term in by_rarity if _share(term, shares) <= COMMON_SHARE] or by_rarity[:1]
    selecting = selecting[:MAX_SELECTING]
    suffix = "".join(f" & {exclusion}" for exclusion in query.exclusions)
    relaxed = [" & ".join(selecting[:size]) for size in range(len(selecting), 1, -1)]
    relaxed.extend(by_rarity[:MAX_SELECTING])  # each word alone; common ones last, if the rare ones are too few
    queries = [query.strict]
    seen = {_conjunction_key(query.strict)}
    for body in relaxed:
        candidate = f"( {body} ){suffix}" if suffix else body
        key = _conjunction_key(candidate)
        if key not in seen:
            seen.add(key)
            queries.append(candidate)
    return queries


def _conjunction_key(printed: str) -> str | frozenset[str]:
    """The same key for two conjunctions of the same lexemes and exclusions, in any order or grouping (the
    strict query of a question without phrases is the conjunction of all its words, which the first relaxation
    repeats); any other query is its own key."""
    parts = printed.replace("( ", "").replace(" )", "").split(" & ")
    if all(_LEXEME.fullmatch(part.removeprefix("!")) for part in parts):
        return frozenset(parts)
    return printed


def preceding(queries: list[str]) -> list[str | None]:
    """For each query, the disjunction of the queries before it (None for the first): a relaxation selects
    only chunks none of the earlier queries matched, so every candidate it adds is a new one."""
    return [None if n == 0 else " | ".join(f"( {q} )" for q in queries[:n]) for n in range(len(queries))]


def _share(term: str, shares: dict[str, float]) -> float:
    return shares.get(term.strip("'").replace("''", "'"), 0.0)


def scoring_terms(query: ParsedQuery, shares: dict[str, float], floor: float) -> list[tuple[str, float]]:
    """(query, weight) pairs for the ranking: the non-excluded words grouped by rarity (rounded), each group
    one disjunction weighted by its words' mean rarity times their number. ``ts_rank`` of a disjunction is the
    mean of its words' ranks, so this sums idf x rank over the words with one ``ts_rank`` call per group
    instead of one per word."""
    groups: dict[int, list[tuple[str, float]]] = {}
    for term in query.terms[:MAX_SCORING]:
        weight = rarity(term, shares, floor)
        groups.setdefault(round(weight), []).append((term, weight))
    return [
        (" | ".join(term for term, _ in members), sum(weight for _, weight in members))
        for _, members in sorted(groups.items(), reverse=True)
    ]
