"""What the commands print reads as words: a dry run as a table, no library lines, no escapes."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

from studiosync.accounts.endpoints import google_endpoints
from studiosync.accounts.sandbox_signin import link_on_sandbox
from studiosync.context import Studio
from studiosync.sandbox.testing import SandboxHandle
from studiosync.studio import appointments, people
from studiosync.studio.appointments import Assign
from studiosync.studio.google_options import google_settings, set_google_settings
from studiosync.studio.validation import find_user
from studiosync.syncstate.runner import sync_user

THEO = "theo@sandbox.example"
NASTY = "Wedding \x1b[31mSmith\x1b[0m\x07 [bold]party[/bold]"


def _cli(studio: Studio, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "STUDIOSYNC_DATA_DIR": str(studio.settings.data_dir),
        "STUDIOSYNC_DATABASE_URL": studio.settings.resolved_database_url,
        "STUDIOSYNC_SANDBOX_URL": str(studio.settings.sandbox_url),
        "COLUMNS": "160",
    }
    return subprocess.run(
        [str(Path(sys.executable).with_name("studiosync")), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _theo_syncs(studio: Studio, google: SandboxHandle) -> None:
    google.create_account(THEO, "pw")
    with studio.transaction() as session:
        people.create_user(session, login="theo")
    link_on_sandbox(studio, google_endpoints(studio.settings), "theo", THEO, "pw")
    start = dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(days=1)
    with studio.transaction() as session:
        set_google_settings(session, "theo", enabled=True, warnings_email="theo@example.com")
        google_settings(session, "theo").calendar_id = THEO
        theo = find_user(session, "theo").id
    assert sync_user(studio, theo).ok  # the first run only sets where the sync starts from
    with studio.transaction() as session:
        appointments.create_appointment(
            session,
            title=NASTY,
            start=start,
            end=start + dt.timedelta(hours=1),
            users=[Assign("theo")],
        )


def test_a_dry_run_is_a_table_of_words(studio: Studio, google: SandboxHandle) -> None:
    _theo_syncs(studio, google)
    ran = _cli(studio, "sync", "theo", "--dry-run")
    assert ran.returncode == 0, ran.stderr
    out = ran.stdout
    assert "What the sync would do" in out
    line = next(row for row in out.splitlines() if "Send to Google" in row)
    assert "Wedding Smith [bold]party[/bold]" in line, line
    assert "tomorrow at " in line and "new in the studio" in line
    for jargon in ("<Side.", "tzinfo", "datetime.", "PushInsert", "\x1b", "\x07"):
        assert jargon not in out, jargon
    assert len(out) < 4000


def test_listing_appointments_prints_no_terminal_escapes(
    studio: Studio, google: SandboxHandle
) -> None:
    _theo_syncs(studio, google)
    listed = _cli(studio, "appointment", "list")
    assert listed.returncode == 0, listed.stderr
    assert "Wedding Smith" in listed.stdout
    assert "\x1b" not in listed.stdout and "\x07" not in listed.stdout


def test_one_processor_round_prints_no_library_lines(studio: Studio, google: SandboxHandle) -> None:
    _theo_syncs(studio, google)
    for step in (("job", "computer", "any"), ("job", "enable")):
        assert _cli(studio, *step).returncode == 0
    once = _cli(studio, "processor", "--once")
    assert once.returncode == 0, once.stderr
    printed = once.stdout + once.stderr
    for library in ("HTTP Request", "URL being requested", "googleapiclient", "httpx"):
        assert library not in printed, printed
    assert "\x1b" not in printed


def test_the_job_list_says_the_schedule_once(studio: Studio) -> None:
    assert _cli(studio, "job", "schedule", "every minute").returncode == 0
    listed = _cli(studio, "job", "list")
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.lower().count("every minute") == 1, listed.stdout
