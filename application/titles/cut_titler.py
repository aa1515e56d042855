"""The offline title: the question itself, cut cleanly at a word boundary."""

from __future__ import annotations

import re

MAX_TITLE_CHARS = 60
_MARKDOWN = re.compile(r"[`*_#>\[\]]+")
_TRAILING = " \t.,;:!-\u2013\u2014?"


def cut_title(text: str, limit: int = MAX_TITLE_CHARS) -> str:
    """One line of at most ``limit`` characters: Markdown marks and quotes dropped, cut at the last whole word
    (with an ellipsis) when the question is longer, trailing punctuation trimmed; a question keeps its ``?``."""
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    words = " ".join(_MARKDOWN.sub(" ", first_line).replace('"', " ").split())
    if len(words) <= limit:
        asked = words.endswith("?")
        cleaned = words.rstrip(_TRAILING)
        return f"{cleaned}?" if asked and cleaned else cleaned
    cut = words[: limit - 1]
    if words[limit - 1] != " " and " " in cut:  # the cut fell inside a word: drop that word
        cut = cut[: cut.rindex(" ")]
    return f"{cut.rstrip(_TRAILING)}…"


class CutTitler:
    async def title(self, question: str) -> str:
        return cut_title(question)
