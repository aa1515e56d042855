"""The ChunkIndex contract, document-level keyword evidence: a hybrid search ranks whole documents by the
question's words over all their passages, and that ranking lifts each document's best passage."""

from __future__ import annotations

import uuid

import msgspec

from application.ports.chunk_index import SearchMode
from domain.documents import Chunk, Document
from tests.contract.chunk_index_backends import Backend, axis, chunk, indexed, search, texts

_FILLER = " ".join(["notes from the northern field station written during the survey"] * 3)  # no question word


def _with_id(passage: Chunk, first: bool) -> Chunk:
    """Equal keyword scores are ordered by chunk id in PostgreSQL: this one sorts first (or last)."""
    prefix = "00000000" if first else "ffffffff"
    return msgspec.structs.replace(passage, id=uuid.UUID(prefix + uuid.uuid4().hex[8:]))


async def _replace(backend: Backend, document: Document, chunks: list[Chunk]) -> None:
    async with backend.open() as r:
        await r.chunks.replace_document_chunks(document.owner_id, document.id, chunks)
        await r.uow.commit()


async def _two_documents(backend: Backend) -> tuple[Document, Document, Document]:
    """Three documents of one owner, the first two in the order their ids sort."""
    one = await indexed(backend, lambda d: [])
    two = await indexed(backend, lambda d: [], owner_id=one.owner_id, filename="other.md")
    third = await indexed(backend, lambda d: [], owner_id=one.owner_id, filename="third.md")
    return (one, two, third) if one.id < two.id else (two, one, third)


async def _walrus_documents(backend: Backend, spread_words: tuple[str, str]) -> Document:
    """The documents of the test below; ``spread_words`` start the first document's long passages."""
    spread, single, third = await _two_documents(backend)
    await _replace(
        backend,
        spread,
        [
            _with_id(chunk(spread, 0, "Walrus!", axis((0, 0.8), (1, 0.6))), first=True),
            chunk(spread, 1, f"{spread_words[0]}: {_FILLER}.", axis((0, 0.05), (2, 1.0))),
            chunk(spread, 2, f"{spread_words[1]}: {_FILLER}.", axis((0, 0.04), (2, 1.0))),
        ],
    )
    await _replace(backend, single, [_with_id(chunk(single, 0, "walrus.", axis((0, 1.0))), first=False)])
    await _replace(backend, third, [chunk(third, 0, f"Walrus tusk: {_FILLER}.", axis((0, 0.03), (2, 1.0)))])
    return spread


async def test_a_document_holding_every_question_word_across_its_passages_lifts_its_passage(
    index_backend: Backend,
) -> None:
    # Two documents hold a one-word passage ("walrus"): equal keyword scores, ordered for the document that
    # sorts first (by chunk id in PostgreSQL, by document id in the twin), while the other one is the nearer
    # vector. Passage by passage they tie, and the nearer vector's passage came first. Only the first document
    # also holds "tusk" and "ivory" (in long passages of its own, far from the question's vector): as a
    # document it is the best match for the question, so its walrus passage must come first. A third document
    # holds "walrus tusk" in one passage, so the walrus-only document ranks third among documents.
    spread = await _walrus_documents(index_backend, ("A tusk", "Ivory"))

    keyword = await search(index_backend, spread.owner_id, "walrus tusk ivory", None, mode=SearchMode.KEYWORD)
    vector = await search(index_backend, spread.owner_id, "walrus tusk ivory", axis((0, 1.0)), mode=SearchMode.VECTOR)
    hybrid = await search(index_backend, spread.owner_id, "walrus tusk ivory", axis((0, 1.0)))

    assert texts(keyword).index("Walrus!") + 1 == texts(keyword).index("walrus.")  # the tie, as set up
    assert texts(vector)[:2] == ["walrus.", "Walrus!"]
    assert texts(hybrid)[0] == "Walrus!"


async def test_the_document_words_follow_its_current_passages(index_backend: Backend) -> None:
    # Indexed again without "tusk" and "ivory", the first document no longer holds the question's words as a
    # whole (its words are rewritten with its passages), and the tie goes back to the nearer vector.
    spread = await _walrus_documents(index_backend, ("A tusk", "Ivory"))
    lifted = await search(index_backend, spread.owner_id, "walrus tusk ivory", axis((0, 1.0)))
    chunks = await _current(index_backend, spread)
    await _replace(
        index_backend,
        spread,
        [
            chunks[0],
            *(
                msgspec.structs.replace(c, text=c.text.replace("A tusk", "A seal").replace("Ivory", "A gull"))
                for c in chunks[1:]
            ),
        ],
    )

    hybrid = await search(index_backend, spread.owner_id, "walrus tusk ivory", axis((0, 1.0)))

    assert texts(lifted)[0] == "Walrus!"
    assert texts(hybrid)[0] == "walrus."


async def _current(backend: Backend, document: Document) -> list[Chunk]:
    async with backend.open() as r:
        stored = await r.chunks.document_chunks(document.owner_id, document.id)
    vectors = [axis((0, 0.8), (1, 0.6)), axis((0, 0.05), (2, 1.0)), axis((0, 0.04), (2, 1.0))]
    return [msgspec.structs.replace(c, embedding=v) for c, v in zip(stored, vectors, strict=True)]
