"""What ``ragchat ingest`` readies before its first file, all at once: the embedding model and every parser
process.

The parser pool starts its processes lazily (one spare at first, the next when two files wait), and a
process takes a few tenths of a second to import the parsers; the model takes seconds to load. Started
together they overlap, and the files then meet warm parsers instead of the first group waiting for them.
"""

from __future__ import annotations

import asyncio

from dishka import AsyncContainer

from application.ports.document_parser import DocumentParser
from application.ports.embedder import Embedder

_SAMPLE = b"warm-up"
"""A text every parser process reads in a moment."""


async def warm_up(container: AsyncContainer, parsers: int) -> None:
    """Embeds one document text (a document, not a query: the local embedder answers a query with its NumPy
    encoder, without loading the document model) while ``parsers`` texts are parsed at once, so that many
    parser processes are started and ready. The model's failure is raised (as indexing would raise it); a
    parser's is not: the files it would have failed report it themselves."""
    async with container() as request:
        embedder = await request.get(Embedder)
        parser = await request.get(DocumentParser)
        loaded, *_ = await asyncio.gather(
            embedder.embed_documents(["warm-up"]),
            *(parser.parse(_SAMPLE, "text/plain") for _ in range(max(1, parsers))),
            return_exceptions=True,
        )
    if isinstance(loaded, BaseException):
        raise loaded
