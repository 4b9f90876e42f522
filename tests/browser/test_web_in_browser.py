"""A person at the studio, in Chromium: logs in, books and edits an appointment, breaks a rule."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from browser_helpers import follow
from playwright.sync_api import Page, expect

ADMIN_PASSWORD = "admin-pass-1"
Shoot = Callable[[str], Path]


def log_in(page: Page, base: str) -> None:
    page.goto(f"{base}/appointments?week=2026-05-04")
    expect(page).to_have_url(f"{base}/login?next=/appointments%3Fweek%3D2026-05-04")
    page.get_by_label("Login").fill("ada")
    page.get_by_label("Password").fill(ADMIN_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(f"{base}/appointments?week=2026-05-04")


@pytest.mark.browser
def test_booking_editing_and_the_google_tab(
    page: Page, live_server: str, screenshot: Shoot
) -> None:
    base = live_server
    page.goto(f"{base}/login")
    screenshot("01-login")
    log_in(page, base)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Studio · week of 4 May 2026")
    expect(page.locator(".appt")).to_have_count(3)
    screenshot("02-week")

    page.get_by_role("link", name="Next week ›").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("week of 11 May 2026")
    page.get_by_role("link", name="‹ Previous week").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("week of 4 May 2026")

    page.get_by_role("link", name="Book on Wed 6 May 2026").click()
    page.get_by_label("Title").fill("Family portrait")
    expect(page.get_by_label("From")).to_have_value("2026-05-06")
    page.get_by_label("Start time").fill("14:30")
    page.get_by_label("End time").fill("16:00")
    page.get_by_label("Client").select_option(label="Jane Doe")
    page.get_by_label("Maya Lindqvist").select_option(label="Photographer")
    page.get_by_label("Theo Okafor").select_option(label="Assistant")
    page.get_by_label("Studio A").check()
    screenshot("03-book-appointment")
    page.get_by_role("button", name="Book appointment").click()

    expect(page.get_by_role("status")).to_have_text("Appointment “Family portrait” booked.")
    card = page.locator(".appt", has_text="Family portrait")
    expect(card).to_contain_text("14:30–16:00")
    expect(card).to_contain_text("Maya Lindqvist (photographer)")
    expect(card).to_contain_text("Studio A")

    card.click()
    expect(page.get_by_text("Made in the studio")).to_be_visible()
    page.get_by_label("Title").fill("Family portrait in the garden")
    page.get_by_label("End time").fill("13:00")
    page.get_by_role("button", name="Save").click()
    problem = page.locator("#end-error")
    expect(problem).to_contain_text("Choose an end time later than the start time.")
    screenshot("04-appointment-error")
    page.get_by_label("End time").fill("16:30")
    page.get_by_role("button", name="Save").click()
    card = page.locator(".appt", has_text="Family portrait in the garden")
    expect(card).to_contain_text("14:30–16:30")

    assert follow(page, "Maintenance > Preferences > User Preferences > Google tab") == 4
    expect(page.get_by_role("heading", level=1)).to_have_text("My Google tab")
    expect(page.locator("#google-account")).to_contain_text("No Google account linked")
    page.get_by_label("Enable Google Sync").check()
    page.get_by_label("Address for warnings and errors").fill("")
    page.get_by_role("button", name="Save").click()
    message = page.locator("#warnings_email-error")
    expect(message).to_be_visible()
    expect(message).to_contain_text("no address is set for warnings and errors")
    expect(page.get_by_label("Enable Google Sync")).to_be_checked()
    screenshot("05-google-tab-error")
    page.get_by_label("Address for warnings and errors").fill("ada@example.com")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_have_text("Your Google tab is saved.")
    screenshot("06-google-tab")


@pytest.mark.browser
def test_screenshots_of_the_main_pages(page: Page, live_server: str, screenshot: Shoot) -> None:
    base = live_server
    log_in(page, base)
    for name, url, heading in (
        ("07-users", "/users", "Users"),
        ("08-user-form", "/users/new", "Add user"),
        ("09-resources", "/resources", "Resources"),
        ("10-clients", "/clients", "Clients"),
        ("11-client-form", "/clients/1/edit", "Jane Doe"),
        ("12-groups", "/groups", "Client groups"),
        ("13-company", "/preferences/company", "Company (Studio) Preferences"),
        ("14-company-email", "/preferences/company/email", "Company (Studio) Preferences"),
        ("15-maya-week", "/appointments?week=2026-05-04&user=maya", "Maya Lindqvist"),
        ("16-resource-google-tab", "/preferences/google/Studio A", "cannot sync with Google"),
        ("17-api-docs", "/docs", None),
    ):
        page.goto(base + url)
        if heading:
            expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
        else:
            # Swagger UI parses a large bundle first: give a busy machine time
            expect(page.get_by_text("studiosync", exact=False).first).to_be_visible(timeout=20_000)
            expect(page.locator(".opblock").first).to_be_visible()
        screenshot(name)
    page.set_viewport_size({"width": 420, "height": 900})
    page.goto(f"{base}/appointments?week=2026-05-04")
    screenshot("18-week-narrow")
