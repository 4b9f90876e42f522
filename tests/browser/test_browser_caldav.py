"""A CalDAV calendar in Chromium: connect on the Google tab, book, run, see it on the server, and
an edit made there with a plain CalDAV client come back.

The server is a real Radicale on loopback; the plain client is the ``caldav`` library, as any
calendar app would reach the same account. The processor is the real one ("front-desk").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import caldav
import icalendar
import pytest
from browser_helpers import (
    book_a_portrait,
    enable_two_way_sync,
    follow,
    log_in_as_admin,
    run_now,
)
from playwright.sync_api import Page, expect

from studiosync.control.processor import Processor
from studiosync.testing.dav_servers import DavServer, running_dav_server

WEEK = "2026-05-04"
Shoot = Callable[[str], Path]


@pytest.fixture
def radicale() -> Iterator[DavServer]:
    with running_dav_server("radicale") as server:
        yield server


def _calendar(server: DavServer, url: str) -> caldav.Calendar:
    client = caldav.DAVClient(url=server.url, username=server.username, password=server.password)
    return client.calendar(url=url)


def _summaries(server: DavServer, url: str) -> list[str]:
    return [str(e.icalendar_component["SUMMARY"]) for e in _calendar(server, url).events()]


def _move_on_the_phone(server: DavServer, url: str, hours: int) -> None:
    """What a phone's calendar app does: rewrite the event, one hour later."""
    [event] = _calendar(server, url).events()
    ical = icalendar.Calendar.from_ical(event.data)
    for component in ical.walk("VEVENT"):
        for key in ("DTSTART", "DTEND"):
            moved = component[key].dt + dt.timedelta(hours=hours)
            del component[key]
            component.add(key, moved)
    event.data = ical.to_ical().decode()
    event.save()


@pytest.mark.browser
def test_a_caldav_calendar_from_the_google_tab_to_the_server_and_back(
    page: Page, live_server: str, radicale: DavServer, processor: Processor, screenshot: Shoot
) -> None:
    base = live_server
    calendar = radicale.make_calendar("Studio bookings")

    log_in_as_admin(page, base)
    follow(page, "Maintenance > Preferences > User Preferences > Google tab")
    account = page.locator("#google-account")

    # connect: the CalDAV form, with the iCloud note, at desktop and phone widths
    account.get_by_text("Or connect a CalDAV calendar instead").click()
    expect(account.get_by_role("link", name="account.apple.com")).to_be_visible()
    screenshot("desk-50-caldav-connect")
    page.set_viewport_size({"width": 390, "height": 844})
    width = page.evaluate("document.documentElement.scrollWidth")
    screenshot("phone-50-caldav-connect")
    page.set_viewport_size({"width": 1360, "height": 900})
    assert width <= 390, "no sideways scrolling on a phone"
    page.get_by_label("Server address").fill(radicale.url)
    page.get_by_label("User name").fill(radicale.username)
    page.get_by_label("Password", exact=True).fill(radicale.password)
    page.get_by_role("button", name="Connect my CalDAV account").click()
    expect(page.get_by_role("status")).to_contain_text(f"Connected to {radicale.username} at")
    expect(account).to_contain_text("Calendar account")
    expect(account).to_contain_text("Connected")

    # choose the calendar, enable the sync both ways, older appointments too
    page.get_by_label("127.0.0.1 calendar to sync with").select_option(calendar)
    page.get_by_role("button", name="Save calendar").click()
    expect(page.get_by_role("status")).to_contain_text("will use the calendar “Studio bookings”")
    enable_two_way_sync(page)
    screenshot("desk-51-caldav-connected")

    # book, then run the job on the front desk's computer
    card = book_a_portrait(page, base, WEEK)
    expect(card.locator(".sync-state")).to_have_text("Ada · waiting for next run")
    follow(page, "Utilities > Control Center")
    page.get_by_role("link", name="Jobs & computers").click()
    page.get_by_label("Computer that runs it").select_option("front-desk")
    page.get_by_role("button", name="Save computer").click()
    page.get_by_role("button", name="Enable", exact=True).click()
    run_now(page, base, processor)

    # on the server, as any calendar app sees it
    assert "Portrait session" in _summaries(radicale, calendar)
    page.goto(f"{base}/appointments?week={WEEK}")
    expect(card.locator(".sync-state")).to_have_text("Ada · in 127.0.0.1")

    # moved an hour later on the phone: the next run brings the move back
    _move_on_the_phone(radicale, calendar, hours=1)
    run_now(page, base, processor)
    page.goto(f"{base}/appointments?week={WEEK}")
    expect(page.locator(".appt", has_text="Portrait session")).to_contain_text("15:30–16:30")
    screenshot("desk-52-caldav-week")
