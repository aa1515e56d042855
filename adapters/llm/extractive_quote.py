"""Which sentences of a passage the offline answerer quotes: whole sentences, best match first.

A passage is cut into sentences, and lines that are not wrapped prose (list items, definition-list terms,
table rows, short labels) count as sentences of their own, so a quote never runs from one list item into the
next. The sentence sharing most words with the question is always quoted whole; when it is only a label
("dialout"), the sentence after it (what the label means) comes with it. Other matching sentences are added
while they fit the length budget, whole or not at all. Only a single sentence longer than three budgets is
shortened, around its matching words, so the part that answers is never the part cut off.
"""

from __future__ import annotations

import re

_HEADING_LINE = re.compile(r"^#{1,6}[ \t].*$", re.MULTILINE)  # the quote's label names the section already
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=\S)")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+•]|\d{1,3}[.)])\s")
_WORD = re.compile(r"\w{2,}", re.UNICODE)
_STOP = frozenset(
    "about and are can could did does for from has have how into its not of off on one onto than that the "
    "their them then there these they this those was were what when where which who whom whose why will "
    "with would you your".split()
)
WRAP_WIDTH = 50
"""A line at least this long that ends without punctuation and is followed by more text is wrapped prose."""
LABEL_WIDTH = 60


def terms(text: str) -> set[str]:
    """Lower-cased content words, with a plural "s" dropped, so "ports" matches "port"."""
    found = set()
    for word in _WORD.findall(text.lower()):
        if word in _STOP:
            continue
        found.add(word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word)
    return found


def sentences(text: str) -> list[str]:
    units: list[str] = []
    current: list[str] = []
    for line in _HEADING_LINE.sub("", text).splitlines():
        stripped = line.strip()
        if not stripped:
            units.append(" ".join(current))
            current = []
        elif current and _continues(current[-1], line):
            current.append(stripped)
        else:
            units.append(" ".join(current))
            current = [stripped]
    units.append(" ".join(current))
    return [s for unit in units if unit for s in _split(unit)]


_NOT_AN_END = re.compile(r"(?:^\d{1,3}[.)]|\b(?:e\.g|i\.e|vs|cf|Dr|Mr|Mrs|Ms|No|Fig)\.)$")


def _split(unit: str) -> list[str]:
    """Sentences of one unit; a list number ("1.") or an abbreviation ("e.g.") does not end one."""
    pieces: list[str] = []
    for piece in _SENTENCE_END.split(unit):
        if pieces and _NOT_AN_END.search(pieces[-1]):
            pieces[-1] = f"{pieces[-1]} {piece}"
        elif piece.strip():
            pieces.append(piece)
    return pieces


def _continues(previous: str, line: str) -> bool:
    """Whether ``line`` carries on the sentence of ``previous`` (hard-wrapped prose, as in PDFs and text files)."""
    if _LIST_ITEM.match(line) or line[:1].isspace():
        return False
    return len(previous) >= WRAP_WIDTH and previous[-1] not in ".!?:;|"


def quote(text: str, question: str, budget: int) -> str:
    """Whole sentences of ``text`` that best match ``question``, in their own order, "…" between gaps."""
    found = sentences(text)
    if not found:
        return ""
    asked = terms(question)
    scores = [len(asked & terms(s)) for s in found]
    best = max(range(len(found)), key=lambda i: (scores[i], -i)) if any(scores) else 0
    chosen = _with_explanation(found, best)
    length = sum(len(found[i]) + 1 for i in chosen)
    others = sorted((i for i in range(len(found)) if scores[i] and i not in chosen), key=lambda i: (-scores[i], i))
    if not any(scores):
        others = list(range(1, len(found)))  # nothing matches: the opening sentences, as far as they fit
    for i in others:
        extra = _with_explanation(found, i) - chosen
        cost = sum(len(found[j]) + 1 for j in extra)
        if extra and length + cost <= budget:
            chosen |= extra
            length += cost
    parts = []
    previous = None
    for i in sorted(chosen):
        sentence = found[i] if len(found[i]) <= 3 * budget else _around(found[i], asked, 3 * budget)
        parts.append(sentence if previous is None or previous == i - 1 else f"… {sentence}")
        previous = i
    return " ".join(" ".join(parts).split())


def _with_explanation(found: list[str], i: int) -> set[int]:
    """Sentence ``i``, and the next one when ``i`` is only a label ("dialout" alone answers nothing)."""
    return {i, i + 1} if _is_label(found[i]) and i + 1 < len(found) else {i}


def _is_label(sentence: str) -> bool:
    return len(sentence) < LABEL_WIDTH and sentence.rstrip()[-1:] not in ".!?"


def _around(sentence: str, asked: set[str], width: int) -> str:
    """A window of ``width`` characters of an over-long sentence, starting a little before its first matching
    word, cut at word boundaries and marked with "…" where it was cut."""
    first = next((m.start() for m in _WORD.finditer(sentence) if terms(m.group()) & asked), 0)
    start = max(0, first - width // 4)
    if start:
        start = sentence.find(" ", start) + 1 or start
    end = min(len(sentence), start + width)
    if end < len(sentence):
        end = sentence.rfind(" ", start, end) if sentence.rfind(" ", start, end) > start else end
    return ("… " if start else "") + sentence[start:end].strip() + (" …" if end < len(sentence) else "")
