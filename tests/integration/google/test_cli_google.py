"""`studiosync google link|calendars|select-calendar|unlink` and `studiosync sync`, as typed."""

from __future__ import annotations

import os
import subprocess
import sys

from studiosync.context import Studio
from studiosync.sandbox.testing import SandboxHandle
from studiosync.studio import people


def _cli(studio: Studio, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "STUDIOSYNC_DATA_DIR": str(studio.settings.data_dir),
        "STUDIOSYNC_DATABASE_URL": studio.settings.resolved_database_url,
        "STUDIOSYNC_SANDBOX_URL": str(studio.settings.sandbox_url),
        "COLUMNS": "200",
    }
    return subprocess.run(
        [sys.executable, "-m", "studiosync", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_link_choose_sync_and_unlink_from_the_command_line(
    studio: Studio, google: SandboxHandle
) -> None:
    google.create_account("theo@sandbox.example", "pw")
    google.add_calendar("theo@sandbox.example", "Team (read only)", access_role="reader")
    with studio.transaction() as session:
        people.create_user(session, login="theo")
    linked = _cli(
        studio,
        "google",
        "link",
        "theo",
        "--sandbox-email",
        "theo@sandbox.example",
        "--sandbox-password",
        "pw",
    )
    assert linked.returncode == 0, linked.stderr
    assert "theo@sandbox.example" in linked.stdout
    listed = _cli(studio, "google", "calendars", "theo")
    assert "Team (read only)" in listed.stdout and "no (read only)" in listed.stdout
    refused = _cli(studio, "google", "select-calendar", "theo", "Team (read only)")
    assert refused.returncode == 2 and "Fix:" in refused.stderr
    assert _cli(studio, "google", "select-calendar", "theo", "theo@sandbox.example").returncode == 0
    not_enabled = _cli(studio, "sync", "theo")
    assert not_enabled.returncode == 2 and "Enable Google Sync" in not_enabled.stderr
    assert (
        _cli(
            studio, "google", "options", "theo", "--enable", "--warnings-email", "theo@example.com"
        ).returncode
        == 0
    )
    ran = _cli(studio, "sync", "theo", "--dry-run")
    assert ran.returncode == 0, ran.stderr
    assert "dry run" in ran.stdout
    assert _cli(studio, "sync", "theo").returncode == 0
    removed = _cli(studio, "google", "unlink", "theo")
    assert removed.returncode == 0 and "removed" in removed.stdout
    after = _cli(studio, "sync", "theo")
    assert after.returncode == 2 and "No Google calendar is selected" in after.stderr
