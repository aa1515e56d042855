"""A real ``ragchat serve`` per test (``server``, ``http``), or one per module for tests that cannot see each
other's data (each signs up users of its own): such a module asks for it as its ``server``::

    @pytest.fixture(scope="module")
    def server(module_server: ServerProcess) -> ServerProcess:  # or module_scripted_server
        return module_server

and changes its settings by overriding ``module_server_env`` (a server per test: ``server_env``).

A test that takes ``scripted`` (the scripted OpenAI-compatible model) gets a server that talks to it; with
``module_scripted_server`` the module's tests share the model too, its script and records cleared per test.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from tests.support.postgres import postgres_data_dir
from tests.support.scripted_llm_server import ScriptedLLMServer
from tests.support.server_process import ServerProcess

JWT_SECRET = "e2e-test-secret-" + "x" * 32


def external_services_env(pg_url: str, redis_url: str | None = None, **extra: str) -> dict[str, str]:
    """With DATABASE_URL the sign-up mode defaults to ``invite``; tests that are not about sign-up open it."""
    env = {
        "DATABASE_URL": pg_url,
        "RAGCHAT_JWT_SECRET": JWT_SECRET,
        "RAGCHAT_EMBEDDER": "hashing",
        "RAGCHAT_SIGNUP": "open",
        **extra,
    }
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


def scripted_model_env(model: ScriptedLLMServer, **extra: str) -> dict[str, str]:
    """Points a server at the scripted model, with one try per turn: a scripted failure is the turn's failure."""
    return {
        "RAGCHAT_LLM_BASE_URL": model.base_url,
        "RAGCHAT_LLM_MODEL": "scripted-model",
        "RAGCHAT_LLM_MAX_ATTEMPTS": "1",
        **extra,
    }


@pytest.fixture
def data_dir() -> Iterator[Path]:
    with postgres_data_dir() as path:
        yield path


@pytest.fixture
def server_env(pg_url: str, data_dir: Path, request: pytest.FixtureRequest) -> dict[str, str]:
    """Environment of the ``server`` fixture; a test overrides a setting by updating it before use."""
    env = external_services_env(pg_url, RAGCHAT_DATA_DIR=str(data_dir))
    if "scripted" in request.fixturenames:
        env.update(scripted_model_env(request.getfixturevalue("scripted")))
    return env


@contextmanager
def running_server(env: dict[str, str], log_dir: Path) -> Iterator[ServerProcess]:
    process = ServerProcess(env, log_path=log_dir / "server.log").start()
    try:
        yield process
    finally:
        process.stop()


@pytest.fixture
def server(server_env: dict[str, str], tmp_path: Path) -> Iterator[ServerProcess]:
    """A real server on a fresh database (the session's embedded PostgreSQL), in-process chat state."""
    with running_server(server_env, tmp_path) as process:
        yield process


@pytest.fixture
async def http(server: ServerProcess) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=server.url, timeout=30) as client:
        yield client


@pytest.fixture
def scripted(request: pytest.FixtureRequest) -> ScriptedLLMServer:
    """The model the test's server talks to: the module's (cleared) under ``module_scripted_server``."""
    if "module_scripted_server" in request.fixturenames:
        shared: ScriptedLLMServer = request.getfixturevalue("module_scripted")
        return shared.reset()
    own: ScriptedLLMServer = request.getfixturevalue("own_scripted")
    return own


@pytest.fixture
async def own_scripted() -> AsyncIterator[ScriptedLLMServer]:
    async with ScriptedLLMServer() as model:
        yield model


@pytest.fixture(scope="module")
def module_data_dir() -> Iterator[Path]:
    with postgres_data_dir() as path:
        yield path


@pytest.fixture(scope="module")
def module_server_env(module_pg_url: str, module_data_dir: Path) -> dict[str, str]:
    """Environment of ``module_server``. Its tests all sign up from 127.0.0.1 within a minute or two, so the
    per-address sign-up and sign-in limits are lifted (the limits have tests of their own)."""
    return external_services_env(
        module_pg_url,
        RAGCHAT_DATA_DIR=str(module_data_dir),
        RAGCHAT_REGISTER_ATTEMPTS_PER_ADDRESS="0",
        RAGCHAT_LOGIN_ATTEMPTS_PER_ADDRESS="0",
    )


@pytest.fixture(scope="module")
def module_server(
    module_server_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ServerProcess]:
    """One real server on one fresh database for all the tests of a module."""
    with running_server(module_server_env, tmp_path_factory.mktemp("server")) as process:
        yield process


@pytest.fixture(scope="module")
async def module_scripted() -> AsyncIterator[ScriptedLLMServer]:
    async with ScriptedLLMServer() as model:
        yield model


@pytest.fixture(scope="module")
def module_scripted_server(
    module_server_env: dict[str, str], module_scripted: ScriptedLLMServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ServerProcess]:
    """``module_server`` talking to ``module_scripted``."""
    env = {**module_server_env, **scripted_model_env(module_scripted)}
    with running_server(env, tmp_path_factory.mktemp("server")) as process:
        yield process
