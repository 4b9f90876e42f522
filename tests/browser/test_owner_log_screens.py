"""What an owner reads after real rounds, in Chromium: the Control Center log and the email.

Screenshots (test-artifacts/screenshots/): the log at desktop and phone width, and the
detailed-log email as a mail program would show its HTML part.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from studiosync.accounts.calendars import select_calendar
from studiosync.accounts.endpoints import google_endpoints
from studiosync.accounts.sandbox_signin import link_on_sandbox
from studiosync.context import Studio
from studiosync.control import jobs
from studiosync.control.processor import Processor
from studiosync.notify.inputs import Changed, LogLevel, LogLine, RoundReport
from studiosync.notify.messages import digest_email
from studiosync.notify.testing import SmtpTestServer
from studiosync.sandbox.testing import SandboxHandle
from studiosync.studio.google_options import DetailedLogs, set_google_settings
from studiosync.syncstate.runner import sync_user

ADMIN_PASSWORD = "admin-pass-1"
Shoot = Callable[[str], Path]


def _link(studio: Studio, google: SandboxHandle, login: str, **options: object) -> str:
    email = f"{login}@sandbox.example"
    google.create_account(email, "pw")
    endpoints = google_endpoints(studio.settings)
    link_on_sandbox(studio, endpoints, login, email, "pw")
    select_calendar(studio, endpoints, login, email)
    with studio.transaction() as session:
        set_google_settings(
            session,
            login,
            enabled=True,
            warnings_email=f"{login}@studio.example",
            populate_google=True,
            two_way=True,
            **options,  # type: ignore[arg-type]
        )
    return email


def _round(studio: Studio, processor: Processor) -> int:
    with studio.transaction() as session:
        job = jobs.get_job(session)
        job.computer, job.enabled, job.next_run_at = "any", True, dt.datetime.now(dt.UTC)
    outcome = processor.tick()
    assert outcome is not None
    return outcome.run_id


@pytest.mark.browser
def test_the_control_center_log_and_the_detailed_email_read_well(
    page: Page,
    live_server: str,
    studio: Studio,
    google: SandboxHandle,
    smtp: SmtpTestServer,
    screenshot: Shoot,
) -> None:
    smtp.serve(studio, from_address="studio@lumen.example")
    _link(studio, google, "maya", email_detailed_logs=True, detailed_logs=DetailedLogs.EACH_ROUND)
    theo = _link(studio, google, "theo")
    processor = Processor(studio=studio, syncer=sync_user, computer="front-desk", probe_timeout=2)
    first = _round(studio, processor)
    away = {"dateTime": "2026-05-06T09:00:00Z"}, {"dateTime": "2026-05-06T17:00:00Z"}
    google.calendar_service(theo).events().insert(
        calendarId="primary",
        body={
            "summary": "Out of office",
            "eventType": "outOfOffice",
            "start": away[0],
            "end": away[1],
        },
    ).execute()
    skipped = _round(studio, processor)
    _round(studio, processor)  # a quiet round: folded into one line

    page.goto(f"{live_server}/login")
    page.get_by_label("Login").fill("ada")
    page.get_by_label("Password").fill(ADMIN_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{live_server}/control-center/logs")
    rounds = page.locator(".round-log")
    expect(rounds).to_have_count(3)
    expect(rounds.first).to_contain_text("Nothing changed for Maya Lindqvist, Theo Okafor.")
    busy = page.locator(f'.round-log[data-run="{first}"]')
    expect(busy).to_contain_text("Maya Lindqvist")
    expect(busy).to_contain_text("Sent 1 new appointment to Google.")
    expect(busy).to_contain_text("Sent 2 new appointments to Google.")
    skip = page.locator(f'.round-log[data-run="{skipped}"]')
    expect(skip).to_contain_text("Theo Okafor")
    expect(skip).to_contain_text("Skipped 1 event — see below")
    expect(skip.locator(".item-line")).to_contain_text("“Out of office”, Wed 6 May 2026 at 10:00")
    expect(skip).to_contain_text("Nothing changed for Maya Lindqvist.")
    screenshot("40-control-center-log")
    page.set_viewport_size({"width": 390, "height": 844})
    expect(skip).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "no sideways scrolling on a phone"
    screenshot("41-control-center-log-phone")

    [email] = [m for m in smtp.wait_for_messages(1) if "what Google Sync did" in m.subject]
    assert email.recipients == ("maya@studio.example",)
    page.set_viewport_size({"width": 760, "height": 900})
    page.set_content(email.html())
    expect(page.locator("body")).to_contain_text("Sent 1 new appointment to Google.")
    expect(page.locator("body")).to_contain_text(
        "New in Google“Wedding consultation”, Tue 5 May 2026 at 10:00"
    )
    screenshot("42-detailed-log-email")


@pytest.mark.browser
def test_the_daily_digest_reads_well(page: Page, screenshot: Shoot) -> None:
    zone = ZoneInfo("Europe/London")
    morning = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
    busy = RoundReport(
        started_at=morning,
        computer="front-desk",
        sentence="Sent 2 new appointments to Google; skipped 1 event — see below",
        changes=(
            Changed("New in Google", "“Rivera family session”, Tue 1 Dec 2026 at 14:00"),
            Changed("New in Google", "“Okafor headshots”, Wed 2 Dec 2026 at 10:30"),
        ),
        lines=(
            LogLine(
                morning,
                LogLevel.WARNING,
                "A Google event was put aside",
                item="“Lunch with Anna”, Thu 3 Dec 2026 at 12:00",
            ),
        ),
    )
    later = RoundReport(
        started_at=morning + dt.timedelta(hours=5),
        computer="front-desk",
        sentence="Brought back 1 change from Google.",
        changes=(
            Changed(
                "Changed in the studio, from Google",
                "“Lindqvist wedding”, Sat 5 Dec 2026 at 11:00",
            ),
        ),
    )
    message = digest_email(
        to="maya@studio.example",
        user="maya",
        day=morning.date(),
        reports=[busy, later],
        quiet_rounds=94,
        zone=zone,
    )
    part = message.get_body(preferencelist=("html",))
    assert part is not None
    page.set_viewport_size({"width": 760, "height": 900})
    page.set_content(part.get_content())
    body = page.locator("body")
    expect(body).to_contain_text("2 rounds of Google Sync changed something")
    expect(body).to_contain_text("The other 94 rounds of the day changed nothing.")
    screenshot("43-detailed-log-digest")
