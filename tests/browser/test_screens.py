"""The article's screens in Chromium at desk and phone width: menus, set-up, accessibility.

Every path the support article (and our own messages) names is followed from the menu, one
click a step; each main page is photographed at 1280 and 390 px and checked with axe-core.
The guided set-up is walked for a new staff member, from "Add user" to the test appointment
arriving in Google (the sandbox), without leaving the browser.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from browser_helpers import ADMIN_PASSWORD, follow
from playwright.sync_api import Page, expect

from studiosync.clock import SystemClock
from studiosync.context import Studio
from studiosync.control import jobs
from studiosync.sandbox.testing import SandboxHandle
from studiosync.studio.people import create_user

AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
WIDTHS = {"desk": 1280, "phone": 390}
Shoot = Callable[[str], Path]
PATHS = {  # path as written -> the page's heading
    "Appointments": "week of",
    "Maintenance > General (Studio) > Users": "Users",
    "Maintenance > General (Studio) > Resources": "Resources",
    "Maintenance > Client > Clients": "Clients",
    "Maintenance > Client > Client Groups": "Client groups",
    "Maintenance > Preferences > User Preferences": "User Preferences",
    "Maintenance > Preferences > User Preferences > Google tab": "My Google tab",
    "Maintenance > Preferences > User Preferences > Google Sync set-up": "Google Sync set-up",
    "Maintenance > Preferences > Company (Studio) Preferences": "Company (Studio) Preferences",
    "Maintenance > Preferences > Company (Studio) Preferences > Email tab": "Company (Studio)",
    "Maintenance > Preferences > Company (Studio) Preferences > Google tab": "Company (Studio)",
    "Utilities > Control Center": "Control Center",
    "Utilities > Troubleshooter": "Troubleshooter",
}


def log_in(page: Page, base: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("Login").fill("ada")
    page.get_by_label("Password").fill(ADMIN_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()


def serious_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's serious and critical findings on the page as it is now."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    found: list[dict[str, Any]] = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
            .filter(v => v.impact === 'serious' || v.impact === 'critical')
            .map(v => ({id: v.id, help: v.help,
                        where: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))"""
    )
    return found


def fits_the_width(page: Page) -> None:
    wide = page.evaluate("() => document.documentElement.scrollWidth")
    view = page.evaluate("() => window.innerWidth")
    culprits = page.evaluate(
        """(view) => [...document.querySelectorAll('main *, header *')]
            .filter(e => e.getBoundingClientRect().right > view + 1)
            .slice(0, 4).map(e => e.tagName + '.' + e.className)""",
        view,
    )
    assert wide <= view, f"{page.url} is {wide}px wide in a {view}px window: {culprits}"


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS, ids=list(WIDTHS))
def test_every_article_path_from_the_menu(
    page: Page, live_server: str, studio: Studio, screenshot: Shoot, width: str
) -> None:
    with studio.transaction() as session:  # long values must not widen any page
        create_user(session, login="l" * 64, display_name="Long " * 40, email="x" * 60 + "@e.org")
    page.set_viewport_size({"width": WIDTHS[width], "height": 900})
    log_in(page, live_server)
    problems: dict[str, list[dict[str, Any]]] = {}
    for number, (path, heading) in enumerate(PATHS.items(), start=1):
        clicks = follow(page, path)
        assert clicks == path.count(">") + 1
        expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
        fits_the_width(page)
        if found := serious_violations(page):
            problems[path] = found
        name = path.split(">")[-1].strip().lower().replace(" ", "-").replace("(", "")
        screenshot(f"{width}-{number:02d}-{name.replace(')', '')}")
    page.goto(f"{live_server}/no/such/page")
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    expect(page.get_by_role("link", name="Log in")).to_have_count(0)
    screenshot(f"{width}-99-not-found")
    assert problems == {}, "axe-core found serious accessibility problems"


@pytest.mark.browser
def test_the_menu_works_from_the_keyboard(page: Page, live_server: str) -> None:
    log_in(page, live_server)
    page.keyboard.press("Tab")  # the skip link
    expect(page.get_by_role("link", name="Skip to the page")).to_be_focused()
    for _ in range(3):  # brand, Appointments, Maintenance
        page.keyboard.press("Tab")
    expect(page.locator("summary", has_text="Maintenance")).to_be_focused()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # General (Studio)
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Users", exact=True)).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Users")
    page.locator("summary", has_text="Utilities").click()
    page.keyboard.press("Escape")
    expect(page.get_by_role("link", name="Troubleshooter")).to_be_hidden()


@pytest.mark.browser
def test_a_new_staff_member_from_add_user_to_a_test_appointment_in_google(
    page: Page, live_server: str, google: SandboxHandle, screenshot: Shoot, studio: Studio
) -> None:
    log_in(page, live_server)
    follow(page, "Maintenance > General (Studio) > Users")
    page.get_by_role("link", name="Add user").click()
    page.get_by_label("Login").fill("ines")
    page.get_by_label("Name").fill("Inès Duarte")
    page.get_by_label("Email").fill("ines@studio.example")
    page.get_by_label("Role").select_option(label="Photographer")
    page.get_by_label("Password").fill("ines-pass-1")
    page.get_by_role("button", name="Add user").click()
    row = page.locator("tr", has_text="Inès Duarte")
    row.get_by_role("link", name="Google Sync set-up").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Inès Duarte's Google Sync set-up")
    screenshot("desk-40-setup-new-user")

    def step(key: str) -> Any:
        return page.locator(f'[data-step="{key}"]')

    expect(step("user")).to_have_attribute("data-done", "yes")
    expect(page.get_by_label("Email warnings and errors to (required)")).to_have_value(
        "ines@studio.example"
    )
    page.get_by_role("button", name="Enable Google Sync").click()
    expect(step("enabled")).to_have_attribute("data-done", "yes")
    page.get_by_role("button", name="Authenticate Inès Duarte's Google Account").click()
    expect(page.get_by_role("heading", name="Sign in to continue")).to_be_visible()
    page.get_by_label("Email").fill("ines@sandbox.example")
    page.get_by_label("Password").fill("a sandbox password")
    create = page.get_by_role("button", name="Create a sandbox Google account and allow")
    expect(create).to_have_css("color", "rgb(26, 115, 232)")  # styled like the page's buttons
    expect(create).to_have_css("border-top-color", "rgb(26, 115, 232)")
    screenshot("desk-40b-sandbox-consent")
    create.click()
    expect(step("authenticated")).to_have_attribute("data-done", "yes")
    page.get_by_label("Google calendar to sync with").select_option("ines@sandbox.example")
    page.get_by_role("button", name="Use this calendar").click()
    expect(step("calendar")).to_have_attribute("data-done", "yes")
    page.get_by_role("button", name="Send a test appointment").click()
    expect(page.locator("#trial-result")).to_contain_text("Arrived in Google")
    screenshot("desk-41-setup-test-arrived")
    events = (
        google.calendar_service("ines@sandbox.example")
        .events()
        .list(calendarId="ines@sandbox.example")
        .execute()
    )
    assert [e["summary"] for e in events["items"]] == [
        "Test appointment from the studio (15-minute hold)"
    ]
    assert serious_violations(page) == []
    page.set_viewport_size({"width": WIDTHS["phone"], "height": 900})
    fits_the_width(page)
    screenshot("phone-41-setup-test-arrived")

    with studio.transaction() as session:  # the Calendar Sync Processor job runs on any computer
        jobs.set_computer(session, "any")
        jobs.enable(session, SystemClock().now())
    page.set_viewport_size({"width": WIDTHS["desk"], "height": 900})
    page.goto(f"{live_server}/preferences/google/ines")
    page.get_by_role("button", name="Sync now").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Inès Duarte's sync is on its way: the Calendar Sync Processor runs it within seconds."
    )
    screenshot("desk-42-google-tab-sync-now")
    page.set_viewport_size({"width": WIDTHS["phone"], "height": 900})
    fits_the_width(page)
    screenshot("phone-42-google-tab-sync-now")
