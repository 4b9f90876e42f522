"""What the browser tests share besides fixtures: the admin's password and menu-path clicking."""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect

from studiosync.control.processor import Processor

ADMIN_PASSWORD = "admin-pass-1"


def follow(page: Page, path: str) -> int:
    """Follow a path as the article writes it ("Utilities > Control Center"), one click a step.

    Menu headings open in place, the screen's link goes there, and a step past the menu (such
    as "Google tab") is a tab of the page. Answers the number of clicks.
    """
    menu = page.get_by_role("navigation", name="Main")
    clicks = 0
    for step in (part.strip() for part in path.split(">")):
        heading = menu.locator("summary").filter(has_text=re.compile(f"^{re.escape(step)}$"))
        link = menu.get_by_role("link", name=step, exact=True)
        if heading.count():
            heading.first.click()
        elif link.count():
            link.first.click()
        else:
            tabs = page.locator("main nav.tabs")
            tabs.get_by_role("link", name=step.removesuffix(" tab"), exact=True).click()
        clicks += 1
    return clicks


def run_now(page: Page, base: str, processor: Processor) -> int:
    """Press Run now in the Control Center, then let the processor make its next check."""
    page.goto(f"{base}/control-center/jobs")
    page.get_by_role("button", name="Run now").click()
    expect(page.get_by_role("status")).to_contain_text("is due now: the processor on front-desk")
    outcome = processor.tick()
    assert outcome is not None, "the job was due on this computer"
    return outcome.run_id


def log_in_as_admin(page: Page, base: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("Login").fill("ada")
    page.get_by_label("Password").fill(ADMIN_PASSWORD)
    page.get_by_role("button", name="Log in").click()


def enable_two_way_sync(page: Page) -> None:
    """On the Google tab: sync on, older appointments sent too, changes back, warnings to Ada."""
    page.get_by_label("Enable Google Sync").check()
    page.get_by_label("Populate Google Calendar").check()
    page.get_by_label("Send New, Modified, and Deleted Google Appointments").check()
    page.get_by_label("Address for warnings and errors").fill("ada@example.com")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("status")).to_have_text("Your Google tab is saved.")


def book_a_portrait(page: Page, base: str, week: str) -> Locator:
    """Ada books herself a portrait session on the week's Wednesday; its card on the week."""
    page.goto(f"{base}/appointments?week={week}")
    page.get_by_role("link", name="Book on Wed 6 May 2026").click()
    page.get_by_label("Title").fill("Portrait session")
    page.get_by_label("Start time").fill("14:30")
    page.get_by_label("End time").fill("15:30")
    page.get_by_label("Ada Admin").select_option(label="Photographer")
    page.get_by_role("button", name="Book appointment").click()
    return page.locator(".appt", has_text="Portrait session")
