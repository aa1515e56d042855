from __future__ import annotations

import re

# A word, a number, or one other visible character: close to what a WordPiece/BPE tokenizer yields for
# English (a little under for long or rare words).
_TOKEN = re.compile(r"\w+|[^\w\s]", re.UNICODE)


class WordTokenizer:
    """The dependency-free ``Tokenizer``: used with the hashing embedder, or when ``tokenizers`` is absent."""

    def token_offsets(self, text: str) -> list[tuple[int, int]]:
        return [match.span() for match in _TOKEN.finditer(text)]
