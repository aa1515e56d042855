"""The Litestar application: routes, error mapping, request ids, OpenAPI and (when built) the web UI."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from dishka import AsyncContainer
from dishka.integrations.litestar import setup_dishka
from litestar import Litestar, Router
from litestar.config.cors import CORSConfig
from litestar.openapi import OpenAPIConfig
from litestar.types import ControllerRouterHandler

from application.ports.embedder import Embedder
from application.ports.job_queue import JobQueue
from application.ports.telemetry import Telemetry
from entrypoints.http.allow_header import allow_header_middleware
from entrypoints.http.api_reference import LocalSwaggerRenderPlugin
from entrypoints.http.chat_socket.route import chat_socket
from entrypoints.http.errors import EXCEPTION_HANDLERS, body_too_large_handler
from entrypoints.http.json_bodies import JSON_MAX_BODY_BYTES, require_json_content_type
from entrypoints.http.openapi import document_problems
from entrypoints.http.request_id import request_id_middleware
from entrypoints.http.request_metrics import request_metrics_middleware
from entrypoints.http.routes.admin import AdminController
from entrypoints.http.routes.auth import AuthController, MeController
from entrypoints.http.routes.chats import ChatsController, ModelsController
from entrypoints.http.routes.documents import MULTIPART_OVERHEAD, DocumentsController
from entrypoints.http.routes.health import health, ready
from entrypoints.http.routes.metrics import metrics
from entrypoints.http.routes.search import SearchController
from entrypoints.http.routes.usage import UsageController
from entrypoints.http.routes.web_pages import WebPagesController
from entrypoints.http.security_headers import security_headers_middleware
from entrypoints.http.static import frontend_router
from entrypoints.readiness import ReadinessProbe
from entrypoints.settings import Settings
from entrypoints.vector_schema import VectorSchemaCheck

log = logging.getLogger(__name__)

ROUTES: list[ControllerRouterHandler] = [
    AuthController,
    MeController,
    AdminController,
    ChatsController,
    ModelsController,
    SearchController,
    UsageController,
    WebPagesController,
    chat_socket,
    health,
    ready,
    metrics,
]


async def _warm_up_embedder(container: AsyncContainer, settings: Settings) -> None:
    """Loading the local model takes seconds (weights, and on a first start its export to ONNX); do it now, in
    the background, rather than inside the first user's upload or question."""
    if settings.embedder != "local":
        return
    try:
        embedder = await container.get(Embedder)
        await embedder.embed_query("warm up")  # questions: the NumPy encoder until documents' model is loaded
        await embedder.embed_documents(["warm up"])  # documents: ONNX Runtime (exported on a first start) or torch
        log.info("embedder ready")
    except Exception:
        log.warning("embedder warm-up failed; the first request will load it", exc_info=True)


def create_app(
    container: AsyncContainer,
    settings: Settings,
    extra_routes: list[ControllerRouterHandler] | None = None,
    frontend_dist: Path | None = None,
) -> Litestar:
    @asynccontextmanager
    async def lifespan(_: Litestar) -> AsyncIterator[None]:
        # Start the dependencies now (embedded PostgreSQL, migrations, job runner) rather than on the first
        # request, so a broken configuration fails the start instead of a user's request.
        await container.get(ReadinessProbe)
        await (await container.get(VectorSchemaCheck)).verify()
        await container.get(JobQueue)
        warm_up = asyncio.create_task(_warm_up_embedder(container, settings), name="warm-up-embedder")
        try:
            yield
        finally:
            warm_up.cancel()
            await container.close()

    # Only the upload route reads a body as big as a document; every other route stops at JSON_MAX_BODY_BYTES.
    uploads = Router(path="/", route_handlers=[DocumentsController],
                     request_max_body_size=settings.max_upload_bytes + MULTIPART_OVERHEAD,
                     exception_handlers={413: body_too_large_handler(settings.max_upload_bytes)})
    routes = [*ROUTES, uploads, *(extra_routes or [])]
    if frontend_dist is not None and (frontend_dist / "index.html").is_file():
        routes.append(frontend_router(frontend_dist))
    app = Litestar(
        route_handlers=routes,
        exception_handlers=EXCEPTION_HANDLERS,  # type: ignore[arg-type]
        lifespan=[lifespan],
        request_max_body_size=JSON_MAX_BODY_BYTES,
        before_request=require_json_content_type,
        cors_config=CORSConfig(allow_origins=settings.allowed_origins) if settings.allowed_origins else None,
        openapi_config=OpenAPIConfig(
            title="ragchat",
            version="0.1.0",
            path="/schema",
            render_plugins=[LocalSwaggerRenderPlugin()],
        ),
        debug=False,
        logging_config=None,  # logging is configured once, by entrypoints.logging_setup
    )
    document_problems(app)
    setup_dishka(container, app)
    app.asgi_handler = request_id_middleware(
        request_metrics_middleware(
            security_headers_middleware(allow_header_middleware(app.asgi_handler, app)),
            lambda: container.get(Telemetry),
        )
    )
    return app
