from __future__ import annotations

from typing import Protocol


class SearchIndexBuilds(Protocol):
    """Lets a bulk load stop maintaining the vector index row by row and build it once at the end.

    Inserting into an HNSW index costs a graph search per row; building it over all rows at once costs a few
    times less per row. A bulk load that adds a large share of the chunks is faster when it suspends the index
    and resumes it (builds it again) after; searches meanwhile stay correct (an exact scan), only slower."""

    async def suspend(self, incoming_chunks: int) -> bool:
        """Suspends the index when building it again after ``incoming_chunks`` more chunks is cheaper than
        maintaining it row by row; True when it did (the caller must then ``resume()``, whatever happens)."""
        ...

    async def resume(self) -> None:
        """Builds the index again if it is missing (a no-op otherwise)."""
        ...
