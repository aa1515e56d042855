from __future__ import annotations

import msgspec


class IndexingPolicy(msgspec.Struct, frozen=True, kw_only=True):
    """How documents are cut and embedded; built from settings at the edge.

    The default chunk size leaves room under all-MiniLM-L6-v2's 256-token window for the heading line that is
    prepended to each chunk before embedding.
    """

    chunk_size_tokens: int = 200
    chunk_overlap_tokens: int = 40
    embed_batch_size: int = 32
    progress_interval_seconds: float = 1.0
    """A document being indexed commits its progress at most this often (each commit is an UPDATE and a
    COMMIT; with a fast embedder a 32-chunk batch takes milliseconds). Deleting the document is noticed at
    the next of these commits, so its job stops within about this long."""

    def __post_init__(self) -> None:
        if self.chunk_size_tokens < 8:
            raise ValueError("chunk_size_tokens must be at least 8")
        if not 0 <= self.chunk_overlap_tokens < self.chunk_size_tokens // 2 + 1:
            raise ValueError("chunk_overlap_tokens must be between 0 and half the chunk size")
        if self.embed_batch_size < 1:
            raise ValueError("embed_batch_size must be at least 1")
