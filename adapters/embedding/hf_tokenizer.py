from __future__ import annotations

from pathlib import Path

from tokenizers import Tokenizer as _HfTokenizer

PIECE_CHARS = 32_768
"""Long texts are tokenized in pieces cut at whitespace (where the model's pre-tokenizer splits anyway):
one 25 MB string costs the tokenizer minutes and gigabytes; pieces cost seconds, encoded in parallel."""


def _pieces(text: str) -> list[tuple[int, int]]:
    ranges, start = [], 0
    while start < len(text):
        end = min(start + PIECE_CHARS, len(text))
        if end < len(text):
            cut = max(text.rfind(" ", start, end), text.rfind("\n", start, end))
            end = cut if cut > start else end
        ranges.append((start, end))
        start = end
    return ranges


class HuggingFaceTokenizer:
    """The embedding model's own tokenizer (a ``tokenizer.json`` shipped with the weights), so a chunk of N
    tokens is exactly N tokens to the model. Read from a local file only; nothing is downloaded."""

    def __init__(self, tokenizer_json: Path) -> None:
        self._tokenizer = _HfTokenizer.from_file(str(tokenizer_json))
        # The shipped file truncates at 128 tokens and pads (the model's training setup); chunking needs all.
        self._tokenizer.no_truncation()
        self._tokenizer.no_padding()

    def token_offsets(self, text: str) -> list[tuple[int, int]]:
        pieces = _pieces(text)
        encodings = self._tokenizer.encode_batch([text[a:b] for a, b in pieces], add_special_tokens=False)
        return [
            (start + int(a), start + int(b))
            for (start, _), encoding in zip(pieces, encodings, strict=True)
            for a, b in encoding.offsets
        ]
