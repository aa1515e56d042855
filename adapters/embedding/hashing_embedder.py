from __future__ import annotations

import asyncio
import hashlib
import itertools
import re
import uuid
from collections.abc import Sequence

import numpy as np

_WORD = re.compile(r"\w+", re.UNICODE)
_REMEMBERED_FEATURES = 200_000
"""Features (words, word pairs) whose slot and sign are kept: prose repeats its words, so most hashes are
looked up instead of computed. About 30 MB when full; then it starts again empty."""
_IN_A_THREAD_FROM = 8
"""Texts in one call from which the work moves off the event loop, so database writes go on meanwhile."""


class HashingEmbedder:
    """A deterministic, dependency-free embedder: signed feature hashing of words and word pairs.

    It knows no synonyms, so it is a lexical matcher in vector form; it exists so tests and installs without
    the local model still index and search end to end, with stable vectors across runs and machines.
    Each feature's slot and signed weight (from a BLAKE2b hash) is remembered, and the arithmetic runs in
    NumPy over a whole batch; the vectors are the same to the bit as those of the plain per-feature loop this
    replaced (``tests/unit/embedding``).
    """

    def __init__(self, dimension: int = 384) -> None:
        if dimension < 8:
            raise ValueError("dimension must be at least 8")
        self._dimension = dimension
        self._features: dict[str, int] = {}

    @property
    def dimension(self) -> int:
        return self._dimension

    async def embed_documents(self, texts: Sequence[str], *, owner_id: uuid.UUID | None = None) -> list[list[float]]:
        if len(texts) < _IN_A_THREAD_FROM:
            return self.vectors(texts)
        return await asyncio.to_thread(self.vectors, texts)

    async def embed_query(self, text: str) -> list[float]:
        return self.vector(text)

    def vector(self, text: str) -> list[float]:
        return self.vectors([text])[0]

    def vectors(self, texts: Sequence[str]) -> list[list[float]]:
        """Each text's features become (slot, signed weight) codes in Python; counting them into slots,
        the norms and the division happen in NumPy, for all the texts at once."""
        known = self._features
        if len(known) > _REMEMBERED_FEATURES:
            self._features = known = {}  # replaced, not cleared: a call in another thread keeps its own
        codes: list[int] = []
        counts: list[int] = []
        for text in texts:
            words = list(map(str.lower, _WORD.findall(text)))
            features = words + list(map(" ".join, itertools.pairwise(words)))
            for feature in set(features).difference(known):
                known[feature] = self._code(feature)
            codes += map(known.__getitem__, features)
            counts.append(len(features))
        coded = np.array(codes, dtype=np.int64)
        rows = np.repeat(np.arange(len(texts), dtype=np.int64), counts)
        # Every weight is a multiple of 0.5, so the sums (and the sums of squares) are exact in any order:
        # the vectors are those of a plain loop over the features, to the bit.
        values = np.bincount(
            rows * self._dimension + (coded >> 2), weights=_WEIGHTS[coded & 3], minlength=len(texts) * self._dimension
        ).reshape(len(texts), self._dimension)
        norms = np.sqrt(np.einsum("ij,ij->i", values, values))
        empty = norms == 0.0
        values[empty, 0] = 1.0  # an empty text still gets a valid unit vector
        norms[empty] = 1.0
        return (values / norms[:, None]).tolist()  # type: ignore[no-any-return]

    def _code(self, feature: str) -> int:
        """The feature's slot and signed weight in one number: ``slot << 2 | index in _WEIGHTS``."""
        digest = hashlib.blake2b(feature.encode(), digest_size=8).digest()
        number = int.from_bytes(digest, "little")
        pair = " " in feature
        negative = not (number >> 63) & 1
        return (number % self._dimension) << 2 | pair << 1 | negative


_WEIGHTS = np.array([1.0, -1.0, 0.5, -0.5])
"""A word counts 1, a word pair 0.5; the hash's top bit gives the sign."""
