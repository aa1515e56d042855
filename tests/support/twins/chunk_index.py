from __future__ import annotations

import math
import re
import uuid
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import TypeVar

import msgspec

from adapters.postgres.keyword_search import HEADING_WEIGHT, LENGTH_NORMALIZATION
from adapters.postgres.keyword_terms import idf
from application.ports.chunk_index import SearchMode
from application.retrieval.fusion import (
    candidate_pool,
    fuse_hybrid,
    single_mode_pool,
    without_identical_texts,
)
from domain.documents import Chunk, Document, DocumentScope, DocumentStatus, Passage
from domain.errors import NotFound
from tests.support.twins.store import MemorySession

T = TypeVar("T")
_WORD = re.compile(r"\w+", re.UNICODE)
_EXCLUDED = re.compile(r"(?:^|(?<=\s))-(\w+)", re.UNICODE)
# The commonest English stop words; PostgreSQL's "english" configuration drops these too.
_STOP = frozenset(
    "a an and are as at be but by for from has have he her his i if in into is it its me my no not of on or "
    "our she so than that the their them then there these they this to was we were what when where which who "
    "will with you your".split()
)


def _terms(text: str) -> list[str]:
    """Lower-cased words without stop words, with a crude plural/-ing/-ed strip standing in for a stemmer."""
    terms = []
    for word in _WORD.findall(text.lower()):
        if word in _STOP:
            continue
        for suffix in ("ing", "ed", "es", "s"):
            if len(word) > len(suffix) + 2 and word.endswith(suffix):
                word = word[: -len(suffix)]
                break
        terms.append(word)
    return terms


class MemoryChunkIndex:
    """Exact search over the store's chunks: cosine for vectors, matched-term counting for keywords (per chunk,
    and per document over all its chunks), fused as PostgreSQL fuses them. Only the owner's *ready* documents
    within the scope are searched, as in the real adapter; writes go through the request's session, so an
    uncommitted replace is undone."""

    def __init__(self, session: MemorySession) -> None:
        self._session = session
        self._chunks = session.store.chunks
        self._documents = session.store.documents

    async def replace_document_chunks(
        self, owner_id: uuid.UUID, document_id: uuid.UUID, chunks: Sequence[Chunk]
    ) -> None:
        document = self._documents.get(document_id)
        if document is None or document.owner_id != owner_id:
            raise NotFound("document not found")
        if any(chunk.owner_id != owner_id or chunk.document_id != document_id for chunk in chunks):
            raise ValueError("every chunk must belong to the document being replaced")
        self._session.put(self._chunks, document_id, list(chunks))

    async def replace_chunks_of_documents(
        self, owner_id: uuid.UUID, chunks_by_document: Mapping[uuid.UUID, Sequence[Chunk]]
    ) -> None:
        for document_id in chunks_by_document:  # all found before anything is written, as in one statement
            document = self._documents.get(document_id)
            if document is None or document.owner_id != owner_id:
                raise NotFound("document not found")
        for document_id, chunks in chunks_by_document.items():
            await self.replace_document_chunks(owner_id, document_id, chunks)

    async def delete_document(self, owner_id: uuid.UUID, document_id: uuid.UUID) -> None:
        existing = self._chunks.get(document_id)
        if existing is not None and all(chunk.owner_id == owner_id for chunk in existing):
            self._session.remove(self._chunks, document_id)

    async def document_chunks(self, owner_id: uuid.UUID, document_id: uuid.UUID) -> list[Chunk]:
        chunks = [c for c in self._chunks.get(document_id, []) if c.owner_id == owner_id]
        return [msgspec.structs.replace(c, embedding=None) for c in sorted(chunks, key=lambda c: c.ordinal)]

    async def search(
        self,
        owner_id: uuid.UUID,
        query_text: str,
        query_vector: Sequence[float] | None,
        k: int,
        mode: SearchMode = SearchMode.HYBRID,
        scope: DocumentScope | None = None,
    ) -> list[Passage]:
        documents, candidates = await self._searchable(owner_id, scope or DocumentScope())
        pool = single_mode_pool(k) if mode is not SearchMode.HYBRID else candidate_pool(k)
        rankings: list[list[Passage]] = []
        openings: dict[uuid.UUID, float] = {}
        if mode is not SearchMode.KEYWORD:
            if query_vector is None:
                raise ValueError("vector and hybrid search need a query vector")
            by_vector = _by_vector(candidates, query_vector)
            rankings.append(
                [
                    _passage(chunk, documents[chunk.document_id], score, similar=True)
                    for chunk, score in by_vector[:pool]
                ]
            )
            openings = _openings(by_vector, {passage.document_id for passage in rankings[0]})
        if mode is not SearchMode.VECTOR:
            rankings.append(
                [
                    _passage(chunk, documents[chunk.document_id], score)
                    for chunk, score in _by_keywords(candidates, query_text)[:pool]
                ]
            )
        rankings = without_identical_texts(rankings)
        if mode is not SearchMode.HYBRID:
            return rankings[0][:k]
        ranked = [document_id for document_id, _ in _documents_by_keywords(candidates, query_text)[:pool]]
        fused = fuse_hybrid(rankings[0], rankings[1], ranked, openings)
        return [msgspec.structs.replace(passage, score=score) for passage, score in fused[:k]]

    async def _searchable(
        self, owner_id: uuid.UUID, scope: DocumentScope
    ) -> tuple[dict[uuid.UUID, Document], list[Chunk]]:
        documents: dict[uuid.UUID, Document] = {}
        chunks: list[Chunk] = []
        for document_id, stored in self._chunks.items():
            document = self._documents.get(document_id)
            if document is None or document.owner_id != owner_id:
                continue
            if document.status is not DocumentStatus.READY or not scope.admits(document):
                continue
            documents[document_id] = document
            chunks.extend(chunk for chunk in stored if chunk.owner_id == owner_id)
        return documents, chunks


def _by_vector(chunks: list[Chunk], query: Sequence[float]) -> list[tuple[Chunk, float]]:
    query_norm = math.sqrt(sum(v * v for v in query)) or 1.0
    scored = []
    for chunk in chunks:
        vector = chunk.embedding or []
        norm = math.sqrt(sum(v * v for v in vector)) or 1.0
        scored.append((chunk, sum(a * b for a, b in zip(vector, query, strict=False)) / (norm * query_norm)))
    scored.sort(key=lambda pair: (-pair[1], pair[0].document_id, pair[0].ordinal))
    return scored


def _openings(by_vector: list[tuple[Chunk, float]], documents: set[uuid.UUID]) -> dict[uuid.UUID, float]:
    """The similarity of each listed document's opening passage (its lowest ordinal), as each PostgreSQL hit
    carries it."""
    opening: dict[uuid.UUID, tuple[int, float]] = {}
    for chunk, score in by_vector:
        known = opening.get(chunk.document_id)
        if chunk.document_id in documents and (known is None or chunk.ordinal < known[0]):
            opening[chunk.document_id] = (chunk.ordinal, score)
    return {document_id: score for document_id, (_, score) in opening.items()}


def _by_keywords(chunks: list[Chunk], query_text: str) -> list[tuple[Chunk, float]]:
    """BM25-like, as the PostgreSQL adapter: for each query word, its rarity among the searched chunks times a
    saturating count (heading words count ``HEADING_WEIGHT`` times), divided by a length normalization.
    Chunks holding a ``-word`` of the query are left out, as web-search syntax says."""
    bags = [(chunk, Counter(_terms(chunk.text)), set(_terms(" ".join(chunk.heading_path)))) for chunk in chunks]
    scored = _scored(bags, query_text, LENGTH_NORMALIZATION)
    scored.sort(key=lambda pair: (-pair[1], pair[0].document_id, pair[0].ordinal))
    return scored


def _documents_by_keywords(chunks: list[Chunk], query_text: str) -> list[tuple[uuid.UUID, float]]:
    """``_by_keywords`` over whole documents, as ``documents.tsv`` holds all of a document's chunks' words, and
    without length normalization, as ``document_keyword_search``."""
    bodies: dict[uuid.UUID, Counter[str]] = {}
    headings: dict[uuid.UUID, set[str]] = {}
    for chunk in chunks:
        bodies.setdefault(chunk.document_id, Counter()).update(_terms(chunk.text))
        headings.setdefault(chunk.document_id, set()).update(_terms(" ".join(chunk.heading_path)))
    bags = [(document_id, body, headings[document_id]) for document_id, body in bodies.items()]
    scored = _scored(bags, query_text, 0.0)
    scored.sort(key=lambda pair: (-pair[1], pair[0]))
    return scored


def _scored(bags: list[tuple[T, Counter[str], set[str]]], query_text: str, b: float) -> list[tuple[T, float]]:
    excluded = set(_terms(" ".join(_EXCLUDED.findall(query_text))))
    wanted = list(dict.fromkeys(term for term in _terms(_EXCLUDED.sub(" ", query_text)) if term not in excluded))
    bags = [bag for bag in bags if not excluded & (set(bag[1]) | bag[2])]
    holding = {term: sum(1 for _, body, heading in bags if term in body or term in heading) for term in wanted}
    sizes = [len(body) + len(heading) for _, body, heading in bags]
    average = max(sum(sizes) / len(sizes), 1.0) if sizes else 1.0
    scored = []
    for (item, body, heading), size in zip(bags, sizes, strict=True):
        raw = 0.0
        for term in wanted:
            count = body[term] + (1 if term in heading else 0)
            if count:
                share = holding[term] / len(bags)
                weight = 1.0 if term in heading else 1.0 / HEADING_WEIGHT
                saturated = sum(1.0 / (n * n) for n in range(1, count + 1)) / 1.6449
                raw += idf(share) * weight * saturated
        if raw:
            scored.append((item, raw / (1 - b + b * size / average)))
    return scored


def _passage(chunk: Chunk, document: Document, score: float, similar: bool = False) -> Passage:
    return Passage(
        chunk_id=chunk.id, document_id=chunk.document_id, filename=document.filename, ordinal=chunk.ordinal,
        text=chunk.text, score=score, page=chunk.page, heading_path=list(chunk.heading_path),
        char_start=chunk.char_start, char_end=chunk.char_end, similarity=score if similar else None,
    )  # fmt: skip
