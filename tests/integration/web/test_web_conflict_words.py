"""Conflicts as the owner reads them, on the web and the installed command: words, no codes."""

from __future__ import annotations

import datetime as dt
import os
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
from studiosync.studio.appointments import Assign, create_appointment, update_appointment
from studiosync.studio.google_options import google_settings, set_google_settings
from studiosync.sync.records import ConflictReason
from studiosync.syncstate.field_settings import set_google_fields
from studiosync.syncstate.models import SyncConflict, SyncMapping
from studiosync.syncstate.runner import sync_user

pytestmark = pytest.mark.usefixtures("google")  # the studio's Google is the sandbox

MAYA = "maya@sandbox.example"
START = dt.datetime(2026, 5, 5, 9, tzinfo=dt.UTC)
STUDIOSYNC = Path(sys.executable).with_name("studiosync")
CODES = (*(reason.value for reason in ConflictReason), "studio_owns_wording")
sqlite_only = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)


def _cli(settings: Settings, *args: str) -> str:
    env = {
        **os.environ,
        "STUDIOSYNC_DATA_DIR": str(settings.data_dir),
        "STUDIOSYNC_DATABASE_URL": settings.resolved_database_url,
        "STUDIOSYNC_SANDBOX_URL": str(settings.sandbox_url),
        "COLUMNS": "250",
        "NO_COLOR": "1",
    }
    done = subprocess.run(
        [str(STUDIOSYNC), *args], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return " ".join(done.stdout.split())


def _no_codes(text: str) -> None:
    for code in CODES:
        assert code not in text, f"{code!r} shown to the owner: {text}"


def _book(studio: Studio, title: str, user_id: int, hours: int) -> int:
    start = START + dt.timedelta(hours=hours)
    with studio.transaction() as session:
        return create_appointment(
            session, title=title, start=start, end=start + dt.timedelta(hours=1),
            users=[Assign(user_id)],
        ).id  # fmt: skip


def _event_of(studio: Studio, user_id: int, appointment_id: int) -> str:
    with studio.transaction() as session:
        mapping = session.get(SyncMapping, (user_id, appointment_id))
        assert mapping is not None
        return mapping.event_id


@sqlite_only
def test_conflicts_are_worded_on_the_web_and_the_command_line(
    admin: Browser, studio: Studio, seed: Seed, google: SandboxHandle, settings: Settings
) -> None:
    google.create_account(MAYA, "pw")
    link_on_sandbox(studio, google_endpoints(studio.settings), "maya", MAYA, "pw")
    with studio.transaction() as session:
        set_google_settings(
            session, "maya", enabled=True, warnings_email="maya@example.com", two_way=True,
            populate_google=True,
        )  # fmt: skip
        google_settings(session, "maya").calendar_id = MAYA
        set_google_fields(session, owners={"time": "studio"})
    both = _book(studio, "Engagement shoot", seed.maya_id, 0)
    owned = _book(studio, "Family portraits", seed.maya_id, 3)
    assert sync_user(studio, seed.maya_id).ok
    events = google.calendar_service(MAYA).events()
    events.patch(
        calendarId=MAYA, eventId=_event_of(studio, seed.maya_id, both),
        body={"summary": "Engagement shoot (phone)"},
    ).execute()  # fmt: skip
    moved = (START + dt.timedelta(hours=5)).isoformat()
    until = (START + dt.timedelta(hours=6)).isoformat()
    events.patch(
        calendarId=MAYA, eventId=_event_of(studio, seed.maya_id, owned),
        body={"start": {"dateTime": moved}, "end": {"dateTime": until}},
    ).execute()  # fmt: skip
    with studio.transaction() as session:
        update_appointment(session, both, title="Engagement shoot (studio)")

    synced = _cli(settings, "sync", "maya")  # as the owner runs it: the plan and its notes
    _no_codes(synced)
    assert "changed on both sides since the last sync" in synced
    assert "changed in Google, but only the studio may change it" in synced
    assert "studiosync company google-fields" in synced

    logged = _cli(settings, "logs", "--user", "maya", "--level", "warning")
    _no_codes(logged)
    assert "changed on both sides since the last sync" in logged
    assert "(time) changed in Google, but only the studio may change it" in logged
    assert "the studio version was kept" in logged
    assert "is set under Company Preferences > Google" in logged

    with studio.transaction() as session:  # every reason there is, and one stored long ago
        for code in CODES:
            session.add(SyncConflict(
                user_id=seed.maya_id, key=f"old {code}", appointment_id=both, event_id=None,
                reason=code, winner="studio", losing=None, winning=None, fields=None,
            ))  # fmt: skip
    page = page_text(admin.get("/control-center/conflicts?user=maya").text)
    _no_codes(page)
    assert "Company Preferences › Google" in page or "Company Preferences > Google" in page
    assert "differed between the studio and an unlinked copy already in Google" in page
    log = page_text(admin.get("/control-center/logs?user=maya").text)
    _no_codes(log)
    assert "Company Preferences > Google" in log
