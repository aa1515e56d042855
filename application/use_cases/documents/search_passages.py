from __future__ import annotations

from application.commands import SearchPassages
from application.ports.chunk_index import ChunkIndex, SearchMode
from application.ports.embedder import Embedder
from domain.documents import Passage
from domain.errors import InvalidInput
from domain.text import check_text

MAX_QUERY_CHARS = 2_000
"""Longer queries are cut at a word boundary: the embedder reads only ~256 tokens, and a huge keyword query
would be slow to rank while adding nothing."""
MAX_K = 200


def clean_query(raw: str) -> str:
    query = " ".join(check_text(raw, "q", multi_line=True).split())
    if not query:
        raise InvalidInput("the search query must not be empty", field="q")
    if len(query) > MAX_QUERY_CHARS:
        cut = query.rfind(" ", 0, MAX_QUERY_CHARS + 1)
        query = query[: cut if cut > MAX_QUERY_CHARS // 2 else MAX_QUERY_CHARS]
    return query


class SearchPassagesHandler:
    """The owner's best passages for a query, from ready documents only.

    Raises ``InvalidInput`` for an empty query, an unknown mode or ``k`` outside 1..200; a query longer than
    2,000 characters is truncated, not rejected. ``EmbedderUnavailable`` propagates (vector and hybrid modes).
    """

    def __init__(self, embedder: Embedder, chunks: ChunkIndex) -> None:
        self._embedder = embedder
        self._chunks = chunks

    async def __call__(self, command: SearchPassages) -> list[Passage]:
        query = clean_query(command.query)
        if not 1 <= command.k <= MAX_K:
            raise InvalidInput(f"k must be between 1 and {MAX_K}", field="k")
        try:
            mode = SearchMode(command.mode)
        except ValueError:
            modes = ", ".join(m.value for m in SearchMode)
            raise InvalidInput(f"mode must be one of: {modes}", field="mode") from None
        vector = None if mode is SearchMode.KEYWORD else await self._embedder.embed_query(query)
        return await self._chunks.search(command.owner_id, query, vector, command.k, mode)
