"""The pages work in Chromium under the Content-Security-Policy: nothing is blocked."""

from __future__ import annotations

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect

ADMIN_PASSWORD = "admin-pass-1"
PAGES = (
    "/appointments?week=2026-05-04",
    "/appointments/new",
    "/preferences/google",
    "/control-center",
    "/troubleshooter",
    "/users",
    "/preferences/company/email",
)


@pytest.mark.browser
def test_pages_and_the_api_reference_run_without_policy_violations(
    page: Page, live_server: str
) -> None:
    problems: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text or "Refused to" in message.text:
            problems.append(f"{page.url}: {message.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"{page.url}: {error}"))
    page.goto(f"{live_server}/login")
    page.get_by_label("Login").fill("ada")
    page.get_by_label("Password").fill(ADMIN_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    for path in PAGES:
        page.goto(f"{live_server}{path}")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.goto(f"{live_server}/docs")
    swagger_ran = page.locator(".opblock-summary-path", has_text="/api/token").first
    expect(swagger_ran).to_be_visible(timeout=30_000)  # a large bundle: give a busy machine time
    assert problems == []
