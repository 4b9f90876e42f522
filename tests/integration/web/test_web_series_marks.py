"""A repeating Google event's occurrences, each its own appointment, are shown as one series."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from web_helpers import Browser, Seed, page_text

from studiosync.accounts.endpoints import google_endpoints
from studiosync.accounts.sandbox_signin import link_on_sandbox
from studiosync.context import Studio
from studiosync.sandbox.testing import SandboxHandle
from studiosync.settings import Settings
from studiosync.studio.google_options import google_settings, set_google_settings
from studiosync.syncstate.runner import sync_user

pytestmark = pytest.mark.usefixtures("google")  # the studio's Google is the sandbox

MAYA = "maya@sandbox.example"
MONDAY = dt.date(2026, 5, 4)
STUDIOSYNC = Path(sys.executable).with_name("studiosync")
sqlite_only = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)


def _cards(page: str) -> dict[str, list[str]]:
    """The week's cards as text, by title."""
    found: dict[str, list[str]] = {}
    for card in re.findall(r'<a class="appt[^"]*"[^>]*data-id="\d+">(.*?)</a>', page, re.S):
        title = re.search(r'<span class="title">(.*?)</span>', card, re.S)
        assert title
        found.setdefault(page_text(title.group(1)), []).append(page_text(card))
    return found


def _event(summary: str, day: dt.date, hour: int, **body: object) -> dict[str, object]:
    start = dt.datetime.combine(day, dt.time(hour), tzinfo=dt.UTC)
    return {
        "summary": summary,
        "start": {"dateTime": start.isoformat(), "timeZone": "Europe/London"},
        "end": {"dateTime": (start + dt.timedelta(hours=1)).isoformat()},
        **body,
    }


@sqlite_only
def test_a_series_from_google_is_marked_on_the_week_and_the_command_line(
    maya: Browser, studio: Studio, seed: Seed, google: SandboxHandle, settings: Settings
) -> None:
    google.create_account(MAYA, "pw")
    link_on_sandbox(studio, google_endpoints(studio.settings), "maya", MAYA, "pw")
    with studio.transaction() as session:
        set_google_settings(
            session, "maya", enabled=True, warnings_email="maya@example.com", two_way=True,
            populate_studio=True, populate_since=MONDAY - dt.timedelta(days=7),
        )  # fmt: skip
        google_settings(session, "maya").calendar_id = MAYA
    events = google.calendar_service(MAYA).events()
    daily = ["RRULE:FREQ=DAILY;COUNT=3"]
    events.insert(calendarId=MAYA, body=_event("Yoga", MONDAY, 7, recurrence=daily)).execute()
    events.insert(calendarId=MAYA, body=_event("Pilates", MONDAY, 17, recurrence=daily)).execute()
    events.insert(calendarId=MAYA, body=_event("Dentist", MONDAY, 12)).execute()
    assert sync_user(studio, seed.maya_id).ok

    page = maya.get(f"/appointments?week={MONDAY.isoformat()}").text
    week = _cards(page)
    assert len(week["Yoga"]) == 3 and len(week["Pilates"]) == 3
    for title in ("Yoga", "Pilates"):
        marks = [re.search(r"Repeats in Google · (\d) of (\d)", card) for card in week[title]]
        assert all(marks), week[title]
        assert sorted(m.groups() for m in marks if m) == [("1", "3"), ("2", "3"), ("3", "3")]
    assert "Repeats" not in week["Dentist"][0]
    first = re.search(r'data-id="(\d+)">\s*<span class="when">08:00', page)
    assert first, "the first Yoga of the week"
    opened = page_text(maya.get(f"/appointments/{first.group(1)}/edit").text)
    assert "Repeats in Google · 1 of 3" in opened

    env = {
        **os.environ,
        "STUDIOSYNC_DATA_DIR": str(settings.data_dir),
        "STUDIOSYNC_DATABASE_URL": settings.resolved_database_url,
        "COLUMNS": "250",
        "NO_COLOR": "1",
    }
    done = subprocess.run(
        [str(STUDIOSYNC), "appointment", "list", "--user", "maya"],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    lines = {line for line in done.stdout.splitlines() if "│" in line}
    yoga = [" ".join(line.split()) for line in lines if "Yoga" in line]
    assert len(yoga) == 3 and all("repeats in Google" in line for line in yoga), yoga
    assert sorted(re.findall(r"(\d) of 3", " ".join(yoga))) == ["1", "2", "3"]
    assert not any("repeats" in line for line in lines if "Dentist" in line)
