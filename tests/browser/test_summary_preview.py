"""Company Preferences > Google in Chromium: the summary preview follows what is typed."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

ADMIN_PASSWORD = "admin-pass-1"


@pytest.mark.browser
def test_the_summary_preview_follows_the_template_as_it_is_typed(
    page: Page, live_server: str
) -> None:
    base = live_server
    page.goto(f"{base}/login?next=/preferences/company/google")
    page.get_by_label("Login").fill("ada")
    page.get_by_label("Password").fill(ADMIN_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("link", name="Google", exact=True)).to_have_attribute(
        "aria-current", "page"
    )
    preview = page.locator("#summary-preview")
    expect(preview).to_have_text("Rivera family session")
    page.get_by_label("Summary template").fill("{title} – {client} ({room})")
    expect(preview).to_have_text("Rivera family session – Sofia Rossi (Studio A)")
    page.get_by_label("Summary template").fill("{title} – {customer}")
    expect(preview).to_contain_text("{customer} is not a field")
    page.get_by_label("Summary template").fill("{type}: {title}")
    page.get_by_label("Location").select_option(label="studio only")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("p.notice")).to_have_text("Google settings saved.")
    expect(preview).to_have_text("Session: Rivera family session")
    expect(page.get_by_label("Location")).to_have_value("studio")
