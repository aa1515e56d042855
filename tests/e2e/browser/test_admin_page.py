"""The admin page in Chromium on an invite-only server: the operator's code makes the first account (the
administrator), who invites someone, sees the sign-up policy refuse a common password, then disables and
deletes that account."""

from __future__ import annotations

import pytest

from tests.e2e.browser.conftest import ContextFactory
from tests.e2e.browser.ui import PASSWORD, SCREENSHOTS, Page, expect
from tests.support.cli import ragchat_process


@pytest.fixture
def server_env(server_env: dict[str, str]) -> dict[str, str]:
    return {**server_env, "RAGCHAT_SIGNUP": "invite"}


def _operator_invitation(env: dict[str, str]) -> str:
    made = ragchat_process(env, "users", "invite")  # a process of its own: this test's event loop is running
    assert made.returncode == 0, made.stderr
    return made.stdout.strip()


async def _new_page(new_context: ContextFactory) -> Page:
    return await (await new_context()).new_page()


async def test_the_administrator_invites_disables_and_deletes_through_the_admin_page(
    page: Page, new_context: ContextFactory, server_env: dict[str, str]
) -> None:
    await page.goto(f"/#/signup/{_operator_invitation(server_env)}")
    await expect(page.get_by_test_id("signup-mode")).to_contain_text("invitation-only")
    await page.get_by_test_id("auth-email").fill("admin@example.com")
    await page.get_by_test_id("auth-password").fill(PASSWORD)
    await page.get_by_test_id("auth-submit").click()
    await expect(page.get_by_test_id("account-email")).to_have_text("admin@example.com")

    await page.get_by_test_id("nav-admin").click()
    admin_row = page.locator('[data-testid="admin-user"][data-email="admin@example.com"]')
    await expect(admin_row).to_contain_text("(you)")
    await expect(admin_row.get_by_role("button")).to_have_count(0)
    await page.get_by_test_id("admin-invite-email").fill("bob@example.com")
    await page.get_by_test_id("admin-invite").click()
    code = (await page.get_by_test_id("admin-invite-code").text_content() or "").strip()
    assert len(code) >= 20
    invitations = page.get_by_test_id("admin-invitation")  # newest first: Bob's, then the operator's, used
    await expect(invitations.nth(0)).to_contain_text("bob@example.com")
    await expect(invitations.nth(1)).to_contain_text("used")

    bob = await _new_page(new_context)
    await bob.goto("/#/signup")
    await bob.get_by_test_id("auth-email").fill("bob@example.com")
    await bob.get_by_test_id("auth-password").fill("Password123")
    await bob.get_by_test_id("auth-invite").fill(code)
    await bob.get_by_test_id("auth-submit").click()
    await expect(bob.locator("#auth-password-error")).to_have_text(
        "password is too easy to guess: it is one of the most common passwords"
    )
    await bob.get_by_test_id("auth-password").fill(PASSWORD)
    await bob.get_by_test_id("auth-submit").click()
    await expect(bob.get_by_test_id("account-email")).to_have_text("bob@example.com")
    await expect(bob.get_by_test_id("nav-admin")).to_have_count(0)

    await page.reload()
    bob_row = page.locator('[data-testid="admin-user"][data-email="bob@example.com"]')
    await bob_row.get_by_test_id("admin-disable").click()
    await page.get_by_test_id("confirm-button").click()
    await expect(bob_row.get_by_test_id("admin-user-status")).to_have_text("disabled")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=SCREENSHOTS / "admin-light.png", full_page=True)

    await bob.get_by_test_id("sign-out").click()
    await bob.get_by_test_id("auth-email").fill("bob@example.com")
    await bob.get_by_test_id("auth-password").fill(PASSWORD)
    await bob.get_by_test_id("auth-submit").click()
    await expect(bob.get_by_test_id("auth-error")).to_contain_text("This account is disabled")

    await bob_row.get_by_test_id("admin-delete").click()
    await expect(page.get_by_test_id("confirm-dialog")).to_contain_text("cannot be undone")
    await page.get_by_test_id("confirm-button").click()
    await expect(bob_row).to_have_count(0)
    await expect(page.get_by_test_id("admin-user")).to_have_count(1)
