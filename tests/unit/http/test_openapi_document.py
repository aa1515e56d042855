"""The OpenAPI document lists every 4xx a route can answer, as problem details, and says which request bodies
refuse unknown fields and which may be left out."""

from __future__ import annotations

from typing import Any

from litestar.testing import AsyncTestClient

PROBLEM = {"$ref": "#/components/schemas/Problem"}


async def test_every_client_error_is_documented_as_problem_details(http: AsyncTestClient[Any]) -> None:
    schema = (await http.get("/schema/openapi.json")).json()
    operations = {
        (method.upper(), path): operation
        for path, item in schema["paths"].items()
        for method, operation in item.items()
    }
    for (method, path), operation in operations.items():
        for status, response in operation["responses"].items():
            if status.startswith("4"):
                assert response["content"] == {"application/problem+json": {"schema": PROBLEM}}, (method, path)
        statuses = set(operation["responses"])
        if path.startswith(("/chats", "/documents", "/search", "/me")):
            assert "401" in statuses, (method, path)
        if "{" in path:
            assert {"400", "404"} <= statuses, (method, path)
        if "requestBody" in operation:
            assert {"400", "413", "415"} <= statuses, (method, path)
    assert {"409", "429"} <= set(operations[("POST", "/auth/register")]["responses"])
    assert {"401", "429"} <= set(operations[("POST", "/auth/login")]["responses"])
    assert "409" in operations[("POST", "/documents")]["responses"]  # a duplicate upload
    assert "503" in operations[("GET", "/ready")]["responses"]


async def test_request_bodies_say_what_they_refuse_and_what_is_optional(http: AsyncTestClient[Any]) -> None:
    schema = (await http.get("/schema/openapi.json")).json()
    components = schema["components"]["schemas"]
    for name in ("Credentials", "CreateChatRequest", "UpdateChatRequest", "RefreshRequest"):
        assert components[name]["additionalProperties"] is False, name
    assert schema["paths"]["/chats"]["post"]["requestBody"]["required"] is False
    assert schema["paths"]["/auth/login"]["post"]["requestBody"]["required"] is True


async def test_no_content_means_no_body(http: AsyncTestClient[Any]) -> None:
    schema = (await http.get("/schema/openapi.json")).json()
    no_content = [
        (method, path, operation["responses"]["204"])
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if "204" in operation["responses"]
    ]
    assert ("post", "/auth/logout") in {(m, p) for m, p, _ in no_content}
    assert all("content" not in response for _, _, response in no_content)
