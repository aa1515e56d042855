from __future__ import annotations

from pathlib import Path

from tokenizers import Tokenizer as _HfTokenizer


class HuggingFaceTokenizer:
    """The embedding model's own tokenizer (a ``tokenizer.json`` shipped with the weights), so a chunk of N
    tokens is exactly N tokens to the model. Read from a local file only; nothing is downloaded."""

    def __init__(self, tokenizer_json: Path) -> None:
        self._tokenizer = _HfTokenizer.from_file(str(tokenizer_json))
        # The shipped file truncates at 128 tokens and pads (the model's training setup); chunking needs all.
        self._tokenizer.no_truncation()
        self._tokenizer.no_padding()

    def token_offsets(self, text: str) -> list[tuple[int, int]]:
        encoding = self._tokenizer.encode(text, add_special_tokens=False)
        return [(int(start), int(end)) for start, end in encoding.offsets]
