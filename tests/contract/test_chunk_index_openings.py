"""The ChunkIndex contract, document-level vector evidence: a hybrid search also ranks the vector leg's documents
by how close each one's best passage and (at half weight) its opening passage are to the question, and that
ranking lifts each document's best passage."""

from __future__ import annotations

import msgspec

from application.ports.chunk_index import SearchMode
from domain.documents import Chunk, Document
from tests.contract.chunk_index_backends import Backend, axis, chunk, indexed, search, texts

QUESTION = axis((0, 1.0))
WORDS = "xylophone"  # in no passage: the keyword lists are empty, only the vector evidence ranks


async def _library(backend: Backend) -> Document:
    """Three documents of one owner. ``about`` opens with a passage near the question (0.9); ``detail`` holds
    the nearest passage of all (0.95) but opens far from it (0.0); ``third`` has one passage at 0.7, so by best
    passage plus half the opening ``detail`` is last (0.95, against 1.35 and 1.05)."""
    about = await indexed(
        backend,
        lambda d: [
            chunk(d, 0, "Lighthouses: how they are built and kept.", axis((0, 0.9), (2, 0.436))),
            chunk(d, 1, "Appendix: suppliers of lamp oil.", axis((0, 0.2), (3, 0.98))),
        ],
    )
    await indexed(
        backend,
        lambda d: [
            chunk(d, 0, "Harbour tide tables for the winter season.", axis((1, 1.0))),
            chunk(d, 1, "A note on the old lighthouse at the pier.", axis((0, 0.95), (1, 0.312))),
        ],
        owner_id=about.owner_id,
        filename="tides.md",
    )
    await indexed(
        backend,
        lambda d: [chunk(d, 0, "Coastal walks and their landmarks.", axis((0, 0.7), (4, 0.71414)))],
        owner_id=about.owner_id,
        filename="walks.md",
    )
    return about


async def test_a_document_opening_near_the_question_lifts_its_passage_above_a_nearer_detail(
    index_backend: Backend,
) -> None:
    # Passage by passage the detail is nearer; as documents, the one whose opening is about the question is the
    # better answer, and with the opening ranking (first against the detail's third) its passage comes first.
    about = await _library(index_backend)

    vector = await search(index_backend, about.owner_id, WORDS, QUESTION, mode=SearchMode.VECTOR)
    hybrid = await search(index_backend, about.owner_id, WORDS, QUESTION)

    assert texts(vector)[:2] == [
        "A note on the old lighthouse at the pier.",
        "Lighthouses: how they are built and kept.",
    ]
    assert texts(hybrid)[:3] == [
        "Lighthouses: how they are built and kept.",
        "A note on the old lighthouse at the pier.",
        "Coastal walks and their landmarks.",
    ]


async def test_the_opening_is_the_documents_first_passage_as_indexed_now(index_backend: Backend) -> None:
    # Indexed again with its two passages in the other order, the first document opens with its appendix (0.2):
    # it no longer ranks first (0.9 + 0.1, after the walks' 1.05), and the nearer detail comes first again.
    about = await _library(index_backend)
    lifted = await search(index_backend, about.owner_id, WORDS, QUESTION)
    async with index_backend.open() as r:
        stored = await r.chunks.document_chunks(about.owner_id, about.id)
    vectors = {c.text: v for c, v in zip(stored, (axis((0, 0.9), (2, 0.436)), axis((0, 0.2), (3, 0.98))), strict=True)}
    reordered: list[Chunk] = [
        msgspec.structs.replace(c, ordinal=len(stored) - 1 - c.ordinal, embedding=vectors[c.text]) for c in stored
    ]
    async with index_backend.open() as r:
        await r.chunks.replace_document_chunks(about.owner_id, about.id, reordered)
        await r.uow.commit()

    hybrid = await search(index_backend, about.owner_id, WORDS, QUESTION)

    assert texts(lifted)[0] == "Lighthouses: how they are built and kept."
    assert texts(hybrid)[0] == "A note on the old lighthouse at the pier."
