"""Each appointment's sync state per assigned user, and the conflict log, after real syncs."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from web_helpers import Browser, Seed, page_text

from studiosync.accounts.endpoints import google_endpoints
from studiosync.accounts.sandbox_signin import link_on_sandbox
from studiosync.context import Studio
from studiosync.sandbox.testing import SandboxHandle
from studiosync.studio.appointments import Assign, create_appointment, update_appointment
from studiosync.studio.google_options import google_settings, set_google_settings
from studiosync.syncstate.models import SyncMapping
from studiosync.syncstate.runner import sync_user

pytestmark = pytest.mark.usefixtures("google")  # the studio's Google is the sandbox

MAYA = "maya@sandbox.example"
WEEK = "/appointments?week=2026-05-04"
START = dt.datetime(2026, 5, 5, 9, tzinfo=dt.UTC)


@pytest.fixture
def syncing_maya(studio: Studio, seed: Seed, google: SandboxHandle) -> int:
    """Maya: linked, her primary calendar chosen, two-way sync and Populate on."""
    google.create_account(MAYA, "pw")
    link_on_sandbox(studio, google_endpoints(studio.settings), "maya", MAYA, "pw")
    with studio.transaction() as session:
        set_google_settings(
            session,
            "maya",
            enabled=True,
            warnings_email="maya@example.com",
            two_way=True,
            populate_google=True,
        )
        google_settings(session, "maya").calendar_id = MAYA
    return seed.maya_id


def book(studio: Studio, title: str, *users: int, hours: int = 0) -> int:
    start = START + dt.timedelta(hours=hours)
    with studio.transaction() as session:
        return create_appointment(
            session,
            title=title,
            start=start,
            end=start + dt.timedelta(hours=1),
            users=[Assign(user) for user in users],
        ).id


def card(page: str, appointment_id: int) -> str:
    found = re.search(rf'<a class="appt[^"]*"[^>]*data-id="{appointment_id}">(.*?)</a>', page, re.S)
    assert found, f"appointment {appointment_id} is on the week"
    return page_text(found.group(1))


def event_of(studio: Studio, user_id: int, appointment_id: int) -> str:
    with studio.transaction() as session:
        mapping = session.get(SyncMapping, (user_id, appointment_id))
        assert mapping is not None
        return mapping.event_id


def test_states_follow_the_sync(
    maya: Browser, studio: Studio, seed: Seed, google: SandboxHandle, syncing_maya: int
) -> None:
    both = book(studio, "Family portrait", seed.maya_id, seed.theo_id)
    week = maya.get(WEEK).text
    assert "Maya · waiting for next run" in card(week, both)  # Populate sends it
    assert "Theo · not synced" in card(week, both)  # Theo has Google Sync off
    assert 'title="Theo Okafor: Not synced — Google Sync is off"' in week

    assert sync_user(studio, seed.maya_id).ok
    event_id = event_of(studio, seed.maya_id, both)
    assert "Maya · in Google" in card(maya.get(WEEK).text, both)
    edit = page_text(maya.get(f"/appointments/{both}/edit").text)
    assert "In Google Maya Lindqvist — on their Google calendar, up to date." in edit
    assert f"Google event {event_id}" in edit

    form = {
        "title": "Family portrait (garden)", "type": "Session", "status": "confirmed",
        "start_date": "2026-05-05", "start_time": "10:00", "end_date": "2026-05-05",
        "end_time": "11:00", "assign": [f"{seed.maya_id}:photographer"], "version": "",
    }  # fmt: skip
    page = maya.get(f"/appointments/{both}/edit").text
    form["version"] = re.search(r'name="version" value="(\d+)"', page).group(1)  # type: ignore[union-attr]
    assert maya.post(f"/appointments/{both}/edit", form).status_code == 303
    assert "Maya · waiting for next run" in card(maya.get(WEEK).text, both)
    assert sync_user(studio, seed.maya_id).ok
    assert "Maya · in Google" in card(maya.get(WEEK).text, both)
    event = google.calendar_service(MAYA).events().get(calendarId=MAYA, eventId=event_id)
    assert event.execute()["summary"] == "Family portrait (garden)"

    phone = google.calendar_service(MAYA)
    phone.events().insert(
        calendarId=MAYA,
        body={
            "summary": "Dentist",
            "start": {"dateTime": "2026-05-07T08:00:00Z"},
            "end": {"dateTime": "2026-05-07T09:00:00Z"},
        },
    ).execute()
    assert sync_user(studio, seed.maya_id).ok
    week = maya.get(WEEK).text
    dentist = int(re.search(r'data-id="(\d+)">\s*<span class="when">09:00', week).group(1))  # type: ignore[union-attr]
    assert "Dentist" in card(week, dentist)
    assert "Maya · from Google" in card(week, dentist)


def test_an_appointment_made_before_sync_started_says_how_to_send_it(
    maya: Browser, studio: Studio, seed: Seed, syncing_maya: int
) -> None:
    with studio.transaction() as session:
        set_google_settings(session, "maya", populate_google=False)
    assert sync_user(studio, seed.maya_id).ok
    older = book(studio, "Older booking", seed.maya_id)
    with studio.transaction() as session:
        set_google_settings(session, "maya", enabled=False)
    assert "Maya · not synced" in card(maya.get(WEEK).text, older)
    with studio.transaction() as session:
        set_google_settings(session, "maya", enabled=True)
    newer = book(studio, "Newer booking", seed.maya_id, hours=3)
    week = maya.get(WEEK).text
    assert "Maya · waiting for next run" in card(week, newer)
    assert "Maya · waiting for next run" in card(week, older), "changed after the first run"


def test_the_conflict_log_keeps_the_losing_version(
    maya: Browser, admin: Browser, studio: Studio, seed: Seed, google: SandboxHandle,
    syncing_maya: int,
) -> None:  # fmt: skip
    shoot = book(studio, "Engagement shoot", seed.maya_id)
    assert sync_user(studio, seed.maya_id).ok
    event_id = event_of(studio, seed.maya_id, shoot)
    google.calendar_service(MAYA).events().patch(
        calendarId=MAYA, eventId=event_id, body={"summary": "Engagement shoot (phone)"}
    ).execute()
    with studio.transaction() as session:
        update_appointment(session, shoot, title="Engagement shoot (studio)")
    sync_user(studio, seed.maya_id)

    mine = page_text(maya.get("/control-center/conflicts").text)
    assert f"appointment {shoot}" in mine
    assert event_id in mine
    assert "changed on both sides since the last sync" in mine
    assert "The studio won (kept: “Engagement shoot (studio)”)" in mine
    losing = "The version that lost, from Google Title Engagement shoot (phone)"
    assert f"{losing} When Tue 5 May 2026 10:00–11:00 (Europe/London)" in mine
    assert "Maya Lindqvist" in page_text(admin.get("/control-center/conflicts").text)
    assert maya.get("/control-center/conflicts?user=theo").status_code == 403
    theirs = admin.get("/control-center/conflicts?user=theo").text
    assert "No conflicts for Theo Okafor" in page_text(theirs)
