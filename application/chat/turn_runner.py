from __future__ import annotations

import logging
import time
import uuid
from contextlib import aclosing

import msgspec

from application.chat.answer_streams import AnswerStreams
from application.chat.frame_emitter import FrameEmitter
from application.chat.recent_messages import RecentMessages
from application.chat.token_stream import TokenStream
from application.chat.turn_starts import Admission, TurnStarts
from application.commands import SummarizeChat
from application.frames import AnswerDoneFrame, AnswerStartedFrame, CitationFrame, ErrorFrame, ReplacedFrame
from application.ports.chat_context_repository import ChatContextRepository
from application.ports.chat_model import ChatModel, CompletionRequest, TextDelta, Usage
from application.ports.chunk_index import ChunkIndex
from application.ports.clock import Clock
from application.ports.embedder import Embedder
from application.ports.job_queue import JobQueue
from application.ports.message_repository import MessageRepository
from application.ports.query_rewriter import QueryRewriter
from application.ports.stop_signals import StopSignals
from application.ports.telemetry import Telemetry
from application.ports.timer import Timer
from application.ports.token_usage_repository import TokenUsageRepository
from application.ports.unit_of_work import UnitOfWork
from application.prompting import CitationScanner, PromptLimits, build_completion_request
from application.retries import is_retryable
from application.retrieval.relevance import below_floor, best_similarity
from application.use_cases.jobs.job_keys import summary_key
from domain.chats import Chat
from domain.context import ChatContext
from domain.documents import Passage
from domain.errors import DomainError
from domain.messages import ChatMessage, Citation, MessageStatus, Role, TurnFailure
from domain.usage import TokenUsage

log = logging.getLogger(__name__)


class TurnSettings(msgspec.Struct, frozen=True, kw_only=True):
    retrieval_k: int = 6
    relevance_floor: float = 0.0
    """Below this cosine similarity of the closest passage the turn answers without passages (0: never)."""
    history_page: int = 40
    limits: PromptLimits = msgspec.field(default_factory=PromptLimits)
    summary_keep_recent: int = 10
    """The summary job's window of verbatim messages: no summary is queued while the chat fits in it."""


class _Stopped(Exception):
    pass


class TurnRunner:
    """Answers one user message: retrieval (``answering`` stage only) → prompt → streamed model answer →
    ``token``/``citation`` frames → the assistant message persisted → ``answer_done``.

    Failures end the turn, never the processor: the user message and any partial answer are marked
    ``interrupted`` and an ``error`` frame (retryable where a retry can help) names the user message.
    """

    def __init__(
        self,
        messages: MessageRepository,
        embedder: Embedder,
        chunks: ChunkIndex,
        model: ChatModel,
        frames: FrameEmitter,
        stops: StopSignals,
        clock: Clock,
        uow: UnitOfWork,
        settings: TurnSettings,
        jobs: JobQueue,
        contexts: ChatContextRepository,
        telemetry: Telemetry,
        rewriter: QueryRewriter,
        timer: Timer,
        usage: TokenUsageRepository,
        starts: TurnStarts,
        streams: AnswerStreams,
    ) -> None:
        self._starts = starts
        self._streams = streams
        self._usage = usage
        self._timer = timer
        self._rewriter = rewriter
        self._contexts = contexts
        self._telemetry = telemetry
        self._started = 0.0
        self._messages = messages
        self._embedder = embedder
        self._chunks = chunks
        self._model = model
        self._frames = frames
        self._stops = stops
        self._clock = clock
        self._uow = uow
        self._settings = settings
        self._jobs = jobs

    async def run(self, chat: Chat, question: ChatMessage, recent: RecentMessages | None = None,
                  admission: Admission | None = None) -> None:
        """Reports the turn's outcome to telemetry; a turn cancelled mid-way (its process drains or stops) is
        ``handed_back``: its question stays ``pending`` for another process.

        The caller's read transaction (the chat and the question, just read) may still be open: the turn's first
        reads join it and its commit ends it, before anything else is awaited (one transaction fewer per turn).
        ``recent``, the chat's newest messages as the caller read them in it, spares reading the history again
        when it holds all of it, and the context when it was read with them. ``admission`` (``TurnStarts``), held
        by the caller, is given back once the model request is ready to go, or when the turn fails before;
        storing the answer takes a place again."""
        self._started = time.monotonic()
        self._telemetry.turn_started()
        outcome = "handed_back"
        try:
            with self._streams.answering():
                outcome = await self._answer(chat, question, recent, admission)
        finally:
            self._telemetry.turn_finished(outcome, time.monotonic() - self._started)

    async def _answer(self, chat: Chat, question: ChatMessage, recent: RecentMessages | None,
                      admission: Admission | None) -> str:
        answer_id = uuid.uuid4()
        tokens = TokenStream(self._frames, chat.id, answer_id, timer=self._timer, window=self._streams.window)
        citations: list[Citation] = []
        usage = Usage(prompt_tokens=0, completion_tokens=0, estimated=True)
        error: ErrorFrame | None = None
        context: ChatContext | None = None
        try:
            history, context = await self._read_conversation(chat, question, recent)
            await self._frames.emit(chat.id, AnswerStartedFrame(message_id=answer_id, reply_to=question.id))
            stop = await self._stops.watch(chat.id)
            request = await self._prepare(chat, question, history, context)
            scanner = CitationScanner(request.passages)
            if admission is not None:
                admission.release()  # prepared: the model's answer is waited for without a place
            async with aclosing(self._model.stream(request)) as stream:  # a stop closes the HTTP stream too
                async for event in stream:
                    if isinstance(event, Usage):
                        usage = event
                        continue
                    if await stop.stopped():
                        raise _Stopped  # checked before each token; what waits to be sent is dropped
                    await self._token(event, tokens, scanner, citations)
            for citation in scanner.finish():
                await self._cite(tokens, citation, citations)
            await tokens.finish()
        except _Stopped:
            await tokens.discard()  # the stored answer is what was delivered before the stop
            error = ErrorFrame(code="stopped", message="the answer was stopped",
                               client_msg_id=question.client_msg_id, message_id=answer_id)
        except DomainError as exc:
            log.warning("turn failed", extra={"chat_id": str(chat.id), "error": exc.code})
            await tokens.settle()
            error = ErrorFrame(code=exc.code, message=exc.message, retryable=is_retryable(exc),
                               client_msg_id=question.client_msg_id,
                               message_id=answer_id if tokens.delivered else None)
        except Exception:
            log.exception("turn crashed", extra={"chat_id": str(chat.id)})
            await tokens.settle()
            error = ErrorFrame(code="internal_error", message="the answer failed unexpectedly; try again",
                               retryable=True, client_msg_id=question.client_msg_id,
                               message_id=answer_id if tokens.delivered else None)
        finally:
            tokens.abandon()
            if admission is not None:
                admission.release()  # failed before the model was asked: storing the failure takes a new place
        await self._finish(chat, question, answer_id, tokens.delivered, citations, usage, error, context)
        return "answered" if error is None else error.code

    async def _read_conversation(
        self, chat: Chat, question: ChatMessage, recent: RecentMessages | None
    ) -> tuple[list[ChatMessage], ChatContext | None]:
        """The history and the rolling summary of what fell out of it, in a short transaction that ends before
        anything slow (rewriting and embedding the query, streaming the answer): a connection held that long
        (idle in transaction) would starve the pool for every other request."""
        page = self._settings.history_page
        history = recent.before(question.position, page) if recent is not None else None
        if history is None:
            history = await self._messages.list(chat.id, before=question.position, limit=page)
        context = recent.context if recent is not None else await self._contexts.get(chat.id)
        await self._uow.commit()  # read only: ends the transaction and hands the connection back to the pool
        return history, context

    async def _prepare(self, chat: Chat, question: ChatMessage, history: list[ChatMessage],
                       context: ChatContext | None) -> CompletionRequest:
        passages = await self._retrieve(chat, question, history) if chat.stage.uses_retrieval else []
        return build_completion_request(stage=chat.stage, question=question.content, history=history,
                                        passages=passages, context=context, limits=self._settings.limits,
                                        settings=chat.settings)

    async def _retrieve(self, chat: Chat, question: ChatMessage, history: list[ChatMessage]) -> list[Passage]:
        """The chat's documents searched for the question in the context of the conversation; nothing when
        even the closest passage is below the relevance floor (the answer then says the documents do not
        cover it). The query used is logged, so a surprising answer can be traced to what was searched."""
        query = await self._rewriter.standalone(question.content, history)
        vector = await self._embedder.embed_query(query)
        await self._uow.reads_only()
        passages = await self._chunks.search(chat.owner_id, query, vector, self._settings.retrieval_k,
                                             scope=chat.scope)
        await self._uow.commit()
        declined = below_floor(passages, self._settings.relevance_floor)
        log.info("retrieved", extra={"chat_id": str(chat.id), "message_id": str(question.id), "query": query,
                                     "passages": len(passages), "best_similarity": best_similarity(passages),
                                     "declined": declined})
        return [] if declined else passages

    async def _token(self, delta: TextDelta, tokens: TokenStream, scanner: CitationScanner,
                     citations: list[Citation]) -> None:
        if not delta.text:
            return
        if not tokens.started:
            self._telemetry.first_token(time.monotonic() - self._started)
        await tokens.add(delta.text)
        for citation in scanner.feed(delta.text):
            await self._cite(tokens, citation, citations)

    async def _cite(self, tokens: TokenStream, citation: Citation, citations: list[Citation]) -> None:
        citations.append(citation)
        await tokens.send(CitationFrame(message_id=tokens.message_id, citation=citation))

    async def _finish(self, chat: Chat, question: ChatMessage, answer_id: uuid.UUID, text: str,
                      citations: list[Citation], usage: Usage, error: ErrorFrame | None,
                      context: ChatContext | None) -> None:
        """One short transaction of its own marks the question answered (only if it is still pending: a second
        turn racing this one for the same question stores nothing) and stores the answer with its token usage
        (an upsert keyed by the answer), so a retry never answers or counts twice. The closing frame
        (``answer_done`` or ``error``) goes out only after that commit: a client that re-sends on seeing the
        error must find the question already ``interrupted`` (which a re-send retries)."""
        async with self._starts.admit():  # a burst of turns ending together stores a few at a time
            answer, stored = await self._store(chat, question, answer_id, text, citations, usage, error)
        if not stored:
            await self._withdraw(chat, question, answer_id)
            return
        if error is None:
            await self._frames.emit(chat.id, AnswerDoneFrame(message_id=answer_id, reply_to=question.id, usage=usage))
        else:
            await self._frames.emit(chat.id, error)
        if answer is not None and self._summary_due(answer, context):
            await self._after_turn(chat, answer_id)

    async def _store(self, chat: Chat, question: ChatMessage, answer_id: uuid.UUID, text: str,
                     citations: list[Citation], usage: Usage,
                     error: ErrorFrame | None) -> tuple[ChatMessage | None, bool]:
        """The answer stored (``None``: nothing to store) and whether the question was still pending (if not,
        nothing was: the transaction is rolled back)."""
        status = MessageStatus.COMPLETE if error is None else MessageStatus.INTERRUPTED
        if error is not None:
            await self._uow.rollback()  # a failed read may have left the transaction aborted; nothing is lost
        question.status = status
        question.error = None if error is None else TurnFailure(
            code=error.code, message=error.message, retryable=error.retryable)
        if not await self._messages.settle(question):
            await self._uow.rollback()
            return None, False
        answer: ChatMessage | None = None
        if text or status is MessageStatus.COMPLETE:
            answer = await self._messages.add(ChatMessage(
                id=answer_id, chat_id=chat.id, role=Role.ASSISTANT, content=text, created_at=self._clock.now(),
                status=status, reply_to=question.id, citations=citations,
                prompt_tokens=usage.prompt_tokens, completion_tokens=usage.completion_tokens,
            ))
            await self._usage.record(TokenUsage(
                message_id=answer_id, chat_id=chat.id, user_id=chat.owner_id,
                prompt_tokens=max(usage.prompt_tokens, 0), completion_tokens=max(usage.completion_tokens, 0),
                estimated=usage.estimated,
            ))
        await self._uow.commit()
        return answer, True

    async def _withdraw(self, chat: Chat, question: ChatMessage, answer_id: uuid.UUID) -> None:
        """Another turn settled this question first (two ran at once after the chat's lock was lost): its
        answer stands and this one is dropped, unstored. Clients that showed this one's tokens drop it on the
        ``replaced`` frame, as they drop an answer an edit replaced."""
        log.warning("a concurrent turn answered this question first; this answer is dropped",
                    extra={"chat_id": str(chat.id), "message_id": str(question.id), "answer_id": str(answer_id)})
        await self._frames.emit(chat.id, ReplacedFrame(message_ids=[answer_id], by=question.id))

    def _summary_due(self, answer: ChatMessage, context: ChatContext | None) -> bool:
        """Whether the summary job could fold anything: not while every message up to this answer is in the
        verbatim window past what the summary (as this turn read it; it only moves forward) already covers.
        A later message's turn decides for itself. Most chats are shorter than the window: no job at all."""
        summarized_through = context.summarized_through if context is not None else 0
        return answer.position - self._settings.summary_keep_recent > summarized_through

    async def _after_turn(self, chat: Chat, answer_id: uuid.UUID) -> None:
        """The rolling summary is a background job keyed by the answer, so a re-run turn or a redelivered job
        folds once; a queue outage delays only the summary, never the answer."""
        try:
            await self._jobs.enqueue(SummarizeChat(owner_id=chat.owner_id, chat_id=chat.id), key=summary_key(answer_id))
        except Exception:
            log.exception("could not queue the summary job", extra={"chat_id": str(chat.id)})
