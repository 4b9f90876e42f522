"""The Google Sync story in Chromium: link, choose, enable, book, run, see it in Google and back.

The studio's Google is the sandbox (its consent page, its Calendar API); the processor is the
real one with the real syncer, on a computer named "front-desk". "Run now" marks the job due, as
a studio expects of its Control Center; the processor's next check runs it, and the test plays
that check by calling ``tick()`` (a running processor does it every few seconds).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from browser_helpers import book_a_portrait, enable_two_way_sync, follow, log_in_as_admin, run_now
from playwright.sync_api import Page, expect

from studiosync.context import Studio
from studiosync.control.processor import Processor
from studiosync.sandbox.testing import SandboxHandle
from studiosync.studio.google_options import set_google_settings

ADMIN_PASSWORD = "admin-pass-1"
ADA_GOOGLE = "ada.lumen@sandbox.example"
ADA_GOOGLE_PASSWORD = "correct horse battery"
WEEK = "2026-05-04"
Shoot = Callable[[str], Path]


def bookings_calendar(google: SandboxHandle) -> str:
    account = google.create_account(
        ADA_GOOGLE,
        ADA_GOOGLE_PASSWORD,
        calendars=[
            {"summary": "Studio bookings", "accessRole": "owner"},
            {"summary": "Public holidays", "accessRole": "reader"},
        ],
    )
    entries: list[dict[str, Any]] = account["calendars"]
    return next(entry["id"] for entry in entries if entry["summary"] == "Studio bookings")


def events_in(google: SandboxHandle, calendar_id: str) -> list[dict[str, Any]]:
    listed = google.calendar_service(ADA_GOOGLE).events().list(calendarId=calendar_id).execute()
    items: list[dict[str, Any]] = listed["items"]
    return items


def authenticate_on_google(page: Page, button: str, google: SandboxHandle) -> None:
    page.get_by_role("button", name=button).click()
    expect(page.get_by_role("heading", name="Sign in to continue")).to_be_visible()
    assert page.url.startswith(google.base_url + "/o/oauth2/auth")
    page.get_by_label("Email").fill(ADA_GOOGLE)
    page.get_by_label("Password").fill(ADA_GOOGLE_PASSWORD)


@pytest.mark.browser
def test_the_google_sync_story(
    page: Page,
    live_server: str,
    google: SandboxHandle,
    processor: Processor,
    screenshot: Shoot,
) -> None:
    base = live_server
    calendar_id = bookings_calendar(google)

    # log in and open the Google tab
    log_in_as_admin(page, base)
    follow(page, "Maintenance > Preferences > User Preferences > Google tab")
    account = page.locator("#google-account")
    expect(account).to_contain_text("No Google account linked")
    screenshot("20-google-tab-not-linked")

    # authenticate on the sandbox's consent page
    authenticate_on_google(page, "Authenticate My Google Account", google)
    screenshot("21-google-consent")
    page.get_by_role("button", name="Allow", exact=True).click()
    expect(page).to_have_url(f"{base}/preferences/google#google-account")
    expect(page.get_by_role("status")).to_contain_text(f"The Google account {ADA_GOOGLE} is linked")
    expect(account).to_contain_text("Linked")
    expect(account.get_by_role("link", name="Remove My Google Account")).to_be_visible()

    # pick a calendar: the read-only one cannot be chosen
    choice = page.get_by_label("Google calendar to sync with")
    expect(choice.locator("option", has_text="Public holidays")).to_be_disabled()
    choice.select_option(label="Studio bookings — you own it")
    page.get_by_role("button", name="Save calendar").click()
    expect(page.get_by_role("status")).to_contain_text("will use the calendar “Studio bookings”")

    # enable sync, with the warnings address, and send older appointments too
    enable_two_way_sync(page)
    expect(page.locator("#populate-progress")).to_contain_text("In progress")
    screenshot("22-google-tab-linked")

    # book an appointment for herself
    card = book_a_portrait(page, base, WEEK)
    expect(card.locator(".sync-state")).to_have_text("Ada · waiting for next run")

    # the Control Center: choose the computer, enable the job, run it now
    follow(page, "Utilities > Control Center")
    page.get_by_role("link", name="Jobs & computers").click()
    expect(page.locator("#computers")).to_contain_text("front-desk")
    expect(page.locator("#computers")).to_contain_text("Online")
    page.get_by_label("Computer that runs it").select_option("front-desk")
    page.get_by_role("button", name="Save computer").click()
    expect(page.get_by_role("status")).to_contain_text("job runs on front-desk")
    page.get_by_role("button", name="Enable", exact=True).click()
    expect(page.locator(".job-state")).to_have_text("Enabled")
    first_run = run_now(page, base, processor)
    screenshot("23-control-center")

    # the event is in Google, and the run in the log
    assert [event["summary"] for event in events_in(google, calendar_id)] == ["Portrait session"]
    page.get_by_role("link", name="Run history").click()
    row = page.locator(f'tr[data-run="{first_run}"]')
    expect(row).to_contain_text("1 ok")
    screenshot("24-run-history")
    row.get_by_role("link", name=f"#{first_run}").click()
    expect(page.locator("main")).to_contain_text("1 sent to Google")
    page.goto(f"{base}/appointments?week={WEEK}")
    expect(card.locator(".sync-state")).to_have_text("Ada · in Google")
    page.goto(f"{base}/preferences/google")
    expect(page.get_by_label("Populate Google Calendar")).not_to_be_checked()
    expect(page.locator("#populate-progress")).to_contain_text("All 1 appointment")

    # the phone moves the event in Google (and renames it); the next run brings the move back,
    # while the studio keeps its title (only the studio may change it, by default) and the
    # conflict log keeps the phone's
    event = events_in(google, calendar_id)[0]
    google.calendar_service(ADA_GOOGLE).events().patch(
        calendarId=calendar_id,
        eventId=event["id"],
        body={
            "summary": "Portrait with the dog",
            "start": {"dateTime": "2026-05-06T15:00:00Z"},
            "end": {"dateTime": "2026-05-06T16:00:00Z"},
        },
    ).execute()
    run_now(page, base, processor)
    page.goto(f"{base}/appointments?week={WEEK}")
    moved = page.locator(".appt", has_text="Portrait session")
    expect(moved).to_contain_text("16:00–17:00")
    expect(moved.locator(".sync-state")).to_have_text("Ada · in Google")
    screenshot("26-week-sync-states")
    moved.click()
    sync_card = page.locator("#google-sync")
    expect(sync_card).to_contain_text("Ada Admin — on their Google calendar, up to date")
    screenshot("27-appointment-google-sync")
    page.goto(f"{base}/control-center/conflicts")
    kept = page.locator(".conflict").first
    expect(kept).to_contain_text("changed in Google, but only the studio may change it")
    expect(kept).to_contain_text("(the title)")
    expect(kept).to_contain_text("Portrait with the dog")
    screenshot("31-conflicts")

    # all is well, until the account is revoked in Google: the troubleshooter names it
    follow(page, "Utilities > Troubleshooter")
    expect(page.locator(".summary")).to_contain_text("0 problems")
    expect(page.locator('[data-verdict="fail"]')).to_have_count(0)
    recent = page.locator('[data-check="recent_runs"]')
    expect(recent).to_contain_text("A Google edit or a studio edit was not kept")  # the title
    screenshot("28-troubleshooter-healthy")
    google.revoke_account(ADA_GOOGLE)
    page.reload()
    broken = page.locator('[data-check="authenticated"]')
    expect(broken).to_have_attribute("data-verdict", "fail")
    expect(broken).to_contain_text("Google no longer accepts this account's sign-in")
    expect(broken).to_contain_text("Remove and re-authenticate the Google account")
    screenshot("29-troubleshooter-problem")
    revoked_run = run_now(page, base, processor)
    page.goto(f"{base}/control-center/logs?level=warning")
    line = page.locator(f'.round-log[data-run="{revoked_run}"]')
    expect(line).to_contain_text("Google no longer accepts this account's sign-in")
    expect(line).to_contain_text("What to do: Remove and re-authenticate")
    screenshot("25-log")
    follow(page, "Utilities > Troubleshooter")
    broken = page.locator('[data-check="authenticated"]')
    broken.get_by_role("link", name="Open the screen that fixes it").click()
    expect(page.locator(".alert.reauth")).to_contain_text("What to do:")
    screenshot("30-google-tab-reauth")

    # the fix: authenticate again; the troubleshooter is content once more
    authenticate_on_google(page, "Authenticate My Google Account again", google)
    page.get_by_role("button", name="Allow", exact=True).click()
    expect(account).to_contain_text("Linked")
    expect(page.locator(".alert.reauth")).to_have_count(0)
    follow(page, "Utilities > Troubleshooter")
    expect(page.locator('[data-check="authenticated"]')).to_have_attribute("data-verdict", "ok")

    # choose nothing: with the account removed, nothing is linked and no calendar chosen
    follow(page, "Maintenance > Preferences > User Preferences > Google tab")
    page.get_by_role("link", name="Remove My Google Account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Remove My Google Account?")
    page.get_by_role("button", name="Yes, remove the Google account").click()
    expect(page.get_by_role("status")).to_contain_text("is removed")
    follow(page, "Utilities > Troubleshooter")
    expect(page.locator('[data-check="authenticated"]')).to_contain_text(
        "No Google account is linked"
    )
    # one cause, one finding: the calendar cannot be checked without an account, and says so
    calendar = page.locator('[data-check="calendar"]')
    expect(calendar).to_have_attribute("data-verdict", "skipped")
    expect(calendar).to_contain_text("Not checked because of the problem above")
    expect(calendar).to_contain_text("No Google account is linked")


@pytest.mark.browser
def test_a_photographer_sees_only_their_own_sync(
    page: Page, live_server: str, studio: Studio, processor: Processor, screenshot: Shoot
) -> None:
    base = live_server
    with studio.transaction() as session:
        for login in ("maya", "theo"):
            set_google_settings(session, login, enabled=True, warnings_email=f"{login}@x.org")
    outcome = processor.run_round(manual=True)
    assert outcome is not None and outcome.users_skipped == 2

    page.goto(f"{base}/login")
    page.get_by_label("Login").fill("maya")
    page.get_by_label("Password").fill("maya-pass-1")
    page.get_by_role("button", name="Log in").click()
    menu = page.get_by_role("navigation", name="Main")
    expect(menu.get_by_role("link", name="Control Center")).to_have_count(0)
    follow(page, "Utilities > My sync log")
    expect(page.get_by_role("heading", level=1)).to_have_text("My sync log")
    row = page.locator(f'tr[data-run="{outcome.run_id}"]')
    expect(row).to_contain_text("skipped")
    expect(row).to_contain_text("No Google account is linked")
    screenshot("32-my-sync-log")
    page.get_by_role("link", name="Log", exact=True).first.click()
    expect(page.locator(".round-log")).to_contain_text("No Google account is linked")
    expect(page.locator(".round-log")).not_to_contain_text("Theo")
    page.set_viewport_size({"width": 420, "height": 900})
    screenshot("33-my-log-narrow")
    page.set_viewport_size({"width": 1360, "height": 900})
    page.goto(f"{base}/control-center/logs?user=theo")
    expect(page.get_by_role("heading", level=1)).to_have_text("This is another user's sync history")
    follow(page, "Utilities > Troubleshooter")
    expect(page.locator('[data-check="authenticated"]')).to_have_attribute("data-verdict", "fail")
    expect(page.locator("main")).to_contain_text("shown to administrators")
    screenshot("34-troubleshooter-photographer")
