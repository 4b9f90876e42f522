"""The troubleshooter in Chromium at desktop and phone width: true, readable, screenshotted."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from browser_helpers import ADMIN_PASSWORD
from playwright.sync_api import Page, expect

from studiosync.context import Studio
from studiosync.studio.google_options import set_google_settings

Shoot = Callable[[str], Path]
PHONE = {"width": 390, "height": 844}
WIDEST = """[...document.querySelectorAll('main *')].filter(e => e.getBoundingClientRect().right
  > window.innerWidth + 1).slice(0, 5).map(e => e.tagName + '.' + e.className + ' '
  + Math.round(e.getBoundingClientRect().right))"""


def _log_in(page: Page, base: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("Login").fill("ada")
    page.get_by_label("Password").fill(ADMIN_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()


def _fits_the_width(page: Page) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"))


@pytest.mark.browser
def test_the_troubleshooter_at_desktop_and_phone_width(
    page: Page, live_server: str, studio: Studio, screenshot: Shoot
) -> None:
    _log_in(page, live_server)
    page.goto(f"{live_server}/troubleshooter")
    findings = page.locator("li.finding")
    expect(findings).to_have_count(1)  # Google Sync is off for ada: that, and nothing else
    expect(findings.first).to_contain_text("Google Sync is off")
    expect(findings.first).to_contain_text("not checked for ada")
    expect(
        page.get_by_role("link", name="Maintenance > Preferences > User Preferences > Google tab")
    ).to_have_attribute("href", "/preferences/google/ada")
    screenshot("30-troubleshooter-sync-off-desktop")

    with studio.transaction() as session:
        set_google_settings(session, "maya", enabled=True, warnings_email="maya@example.com")
    page.goto(f"{live_server}/troubleshooter?user=maya")
    expect(page.locator('li[data-check="authenticated"]')).to_have_attribute("data-verdict", "fail")
    expect(page.locator('li[data-check="calendar"]')).to_have_attribute("data-verdict", "skipped")
    expect(page.locator('li[data-check="calendar"]')).to_contain_text("Not checked because")
    body = page.locator("main").inner_text()
    assert "studiosync google" not in body and "--" not in body
    screenshot("31-troubleshooter-problems-desktop")

    page.set_viewport_size(PHONE)
    page.goto(f"{live_server}/troubleshooter?user=maya")
    screenshot("32-troubleshooter-problems-phone")
    assert _fits_the_width(page), page.evaluate(WIDEST)
    page.goto(f"{live_server}/troubleshooter")
    assert _fits_the_width(page)
    screenshot("33-troubleshooter-sync-off-phone")
