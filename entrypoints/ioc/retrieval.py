"""Ingestion and retrieval wiring: parser, tokenizer, embedder, indexing policy and the chunk index.

Which embedder serves is ``settings.embedder``; the tokenizer follows it, so chunk sizes are counted in the
tokens of the model that embeds them. Nothing is loaded at import time, and the local model itself loads on
first use (in a worker thread), so starting the server stays fast.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator

from dishka import Provider, Scope, provide
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.embedding.fair_embedder import FairEmbedder
from adapters.embedding.hashing_embedder import HashingEmbedder
from adapters.embedding.local_sentence_embedder import LocalSentenceEmbedder, bundled_model_dir
from adapters.embedding.word_tokenizer import WordTokenizer
from adapters.postgres.chunk_index import PgChunkIndex
from adapters.postgres.side_connections import SideConnections
from application.ingestion.policy import IndexingPolicy
from application.ports.chunk_index import ChunkIndex
from application.ports.document_parser import DocumentParser
from application.ports.embedder import Embedder
from application.ports.tokenizer import Tokenizer
from entrypoints.settings import Settings


class RetrievalProvider(Provider):
    @provide(scope=Scope.APP)
    async def embedder(self, settings: Settings) -> AsyncIterator[Embedder]:
        """The model behind ``FairEmbedder``: questions first, document batches taking turns by owner."""

        def fair(model: Embedder) -> Embedder:
            return FairEmbedder(model, concurrency=settings.embed_concurrency, slice_size=settings.embed_slice_size)

        if settings.embedder == "hashing":
            yield fair(HashingEmbedder(settings.embedding_dimension))
        elif settings.embedder == "openai":
            import openai  # only here: importing it takes about a second

            client = openai.AsyncOpenAI(
                base_url=settings.embeddings_base_url,
                api_key=settings.embeddings_api_key or os.environ.get("OPENAI_API_KEY") or "unused",
                max_retries=3,
                timeout=60.0,
            )
            try:
                from adapters.embedding.openai_embedder import OpenAIEmbedder

                yield fair(OpenAIEmbedder(client, settings.embedding_model, settings.embedding_dimension,
                                          send_dimensions=settings.sends_dimensions))
            finally:
                await client.close()
        else:
            local = LocalSentenceEmbedder(
                bundled_model_dir(), settings.embedding_dimension, batch_size=settings.embed_slice_size,
                backend=settings.local_embedder_backend, cache_root=settings.data_path / "models" / "all-minilm-l6-v2",
            )  # fmt: skip
            yield fair(local)
            local.close()

    @provide(scope=Scope.APP)
    def tokenizer(self, settings: Settings) -> Tokenizer:
        if settings.embedder == "local":
            from adapters.embedding.hf_tokenizer import HuggingFaceTokenizer

            return HuggingFaceTokenizer(bundled_model_dir() / "tokenizer.json")
        return WordTokenizer()

    @provide(scope=Scope.APP)
    async def parser(self, settings: Settings) -> AsyncIterator[DocumentParser]:
        """Parser processes, started when the first document is indexed (API replicas that never index
        start none). Imported here: the parsers' libraries take half a second to import."""
        from adapters.parsing.document_parsers import ParserLimits
        from adapters.parsing.parser_pool import ParserProcessPool

        pool = ParserProcessPool(
            ParserLimits(
                max_pdf_pages=settings.max_pdf_pages,
                max_docx_uncompressed_bytes=settings.max_docx_uncompressed_bytes,
                max_text_chars=settings.max_document_chars,
                timeout_seconds=settings.parse_timeout_seconds,
            ),
            workers=settings.parse_workers,
            cpu_seconds=settings.parse_cpu_seconds,
            memory_bytes=settings.parse_memory_bytes,
            niceness=settings.parse_niceness,
        )
        pool.start()
        yield pool
        await pool.close()

    @provide(scope=Scope.APP)
    def policy(self, settings: Settings) -> IndexingPolicy:
        return IndexingPolicy(
            chunk_size_tokens=settings.chunk_size_tokens,
            chunk_overlap_tokens=settings.chunk_overlap_tokens,
            embed_batch_size=settings.embed_batch_size,
            progress_interval_seconds=settings.index_progress_seconds,
        )

    @provide(scope=Scope.REQUEST)
    def chunk_index(self, session: AsyncSession, settings: Settings, side: SideConnections) -> ChunkIndex:
        return PgChunkIndex(session, settings.hnsw_ef_search, side)

