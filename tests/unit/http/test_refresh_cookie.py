"""One sign-in per browser: the web UI's refresh token in an HttpOnly, SameSite=Strict cookie on ``/auth``, usable
only from this site's own pages; API clients keep the JSON token flow. Litestar test client, in-memory twins."""

from __future__ import annotations

from http.cookies import SimpleCookie

from litestar.testing import AsyncTestClient

from entrypoints.http.app import create_app
from tests.support.memory_app import memory_container, memory_settings

BASE = "http://testserver.local"
SAME_SITE = {"Origin": BASE}
COOKIE_MODE = {"X-Ragchat-Session": "cookie"}
CREDENTIALS = {"email": "cookie@example.com", "password": "a quiet walrus sings at dawn"}


def _set_cookie(response_headers: list[str]) -> SimpleCookie:
    jar: SimpleCookie = SimpleCookie()
    for header in response_headers:
        jar.load(header)
    return jar


async def test_a_cookie_session_refreshes_from_this_site_and_not_from_others() -> None:
    async with AsyncTestClient(create_app(memory_container(), memory_settings()), base_url=BASE) as http:
        assert (await http.post("/auth/register", json=CREDENTIALS)).status_code == 201
        login = await http.post("/auth/login", json=CREDENTIALS, headers=COOKIE_MODE)
        assert login.status_code == 200
        assert set(login.json()) == {"access_token", "expires_in", "token_type"}, "no refresh token in the body"
        cookie = _set_cookie(login.headers.get_list("set-cookie"))["ragchat_refresh"]
        assert (cookie["httponly"], cookie["samesite"].lower(), cookie["path"], cookie["secure"]) == (
            True,
            "strict",
            "/auth",
            "",
        )
        assert int(cookie["max-age"]) > 0

        assert (await http.post("/auth/refresh", headers={"Origin": "https://evil.example"})).status_code == 403
        assert (await http.post("/auth/refresh")).status_code == 403, "no Origin: not a page of this site"

        refreshed = await http.post("/auth/refresh", headers=SAME_SITE)  # a new tab, signing in silently
        assert refreshed.status_code == 200
        rotated = _set_cookie(refreshed.headers.get_list("set-cookie"))["ragchat_refresh"].value
        assert rotated and rotated != cookie.value
        me = await http.get("/me", headers={"Authorization": f"Bearer {refreshed.json()['access_token']}"})
        assert me.json()["email"] == CREDENTIALS["email"]

        logout = await http.post("/auth/logout", headers=SAME_SITE)
        assert logout.status_code == 204
        cleared = _set_cookie(logout.headers.get_list("set-cookie"))["ragchat_refresh"]
        assert (cleared.value, cleared["max-age"]) == ("", "0")
        http.cookies.set("ragchat_refresh", rotated, path="/auth")  # even if a copy of the cookie survived
        assert (await http.post("/auth/refresh", headers=SAME_SITE)).status_code == 401


async def test_api_clients_keep_the_json_token_flow() -> None:
    async with AsyncTestClient(create_app(memory_container(), memory_settings()), base_url=BASE) as http:
        assert (await http.post("/auth/register", json=CREDENTIALS)).status_code == 201
        login = await http.post("/auth/login", json=CREDENTIALS)
        pair = login.json()
        assert "set-cookie" not in login.headers and pair["refresh_token"]
        refreshed = await http.post("/auth/refresh", json={"refresh_token": pair["refresh_token"]})
        assert refreshed.status_code == 200 and refreshed.json()["refresh_token"] != pair["refresh_token"]
        logout = await http.post("/auth/logout", json={"refresh_token": refreshed.json()["refresh_token"]})
        assert logout.status_code == 204
        assert (await http.post("/auth/refresh", json={"refresh_token": pair["refresh_token"]})).status_code == 401


async def test_over_https_the_cookie_is_secure() -> None:
    base = "https://chat.example"
    async with AsyncTestClient(create_app(memory_container(), memory_settings()), base_url=base) as http:
        assert (await http.post("/auth/register", json=CREDENTIALS)).status_code == 201
        login = await http.post("/auth/login", json=CREDENTIALS, headers=COOKIE_MODE)
        assert _set_cookie(login.headers.get_list("set-cookie"))["ragchat_refresh"]["secure"] is True
