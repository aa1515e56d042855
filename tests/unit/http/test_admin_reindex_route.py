"""``POST /admin/reindex`` validates its body like every route: a malformed account id is a 400 problem, an
unknown one a documented 404, never a server error."""

from __future__ import annotations

import uuid
from typing import Any

from litestar.testing import AsyncTestClient

from tests.unit.http.conftest import sign_in


async def test_a_malformed_or_unknown_account_id_is_a_client_error(http: AsyncTestClient[Any]) -> None:
    admin = await sign_in(http)  # the first account is the administrator
    malformed = await http.post("/admin/reindex", json={"account_id": "AAA"}, headers=admin)
    assert malformed.status_code == 400, malformed.text
    assert malformed.json()["status"] == 400
    unknown = await http.post("/admin/reindex", json={"account_id": str(uuid.uuid4())}, headers=admin)
    assert unknown.status_code == 404, unknown.text
    everyone = await http.post("/admin/reindex", headers=admin)
    assert everyone.status_code == 202, everyone.text
    assert everyone.json() == {"documents": 0}
