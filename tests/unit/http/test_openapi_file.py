"""The web UI's API types are generated from ``frontend/openapi.json``; it must say what the app documents."""

from __future__ import annotations

from entrypoints.http.openapi_dump import DEFAULT_OUTPUT, openapi_document, render


def test_the_committed_openapi_document_is_the_apps() -> None:
    assert DEFAULT_OUTPUT.read_text(encoding="utf-8") == render(openapi_document()), (
        "frontend/openapi.json is stale: run `python -m entrypoints.http.openapi_dump` and commit it"
    )
