from __future__ import annotations

import hashlib
import itertools
import math
import re
import uuid
from collections.abc import Sequence

_WORD = re.compile(r"\w+", re.UNICODE)


class HashingEmbedder:
    """A deterministic, dependency-free embedder: signed feature hashing of words and word pairs.

    It knows no synonyms, so it is a lexical matcher in vector form; it exists so tests and installs without
    the local model still index and search end to end, with stable vectors across runs and machines.
    """

    def __init__(self, dimension: int = 384) -> None:
        if dimension < 8:
            raise ValueError("dimension must be at least 8")
        self._dimension = dimension

    @property
    def dimension(self) -> int:
        return self._dimension

    async def embed_documents(
        self, texts: Sequence[str], *, owner_id: uuid.UUID | None = None
    ) -> list[list[float]]:
        return [self.vector(text) for text in texts]

    async def embed_query(self, text: str) -> list[float]:
        return self.vector(text)

    def vector(self, text: str) -> list[float]:
        values = [0.0] * self._dimension
        words = [word.lower() for word in _WORD.findall(text)]
        features = words + [f"{a} {b}" for a, b in itertools.pairwise(words)]
        for feature in features:
            digest = hashlib.blake2b(feature.encode(), digest_size=8).digest()
            number = int.from_bytes(digest, "little")
            weight = 1.0 if " " not in feature else 0.5
            values[number % self._dimension] += weight if (number >> 63) & 1 else -weight
        norm = math.sqrt(sum(v * v for v in values))
        if norm == 0.0:
            values[0] = 1.0  # an empty text still gets a valid unit vector
            return values
        return [v / norm for v in values]
