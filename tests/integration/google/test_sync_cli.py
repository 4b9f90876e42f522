"""`studiosync sync USER [--confirm-bulk-delete]` as typed: the bulk-delete guard at the prompt."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from google_world import Desk

from studiosync.accounts.endpoints import GoogleEndpoints
from studiosync.context import Studio
from studiosync.sandbox.testing import SandboxHandle


@pytest.fixture
def backend() -> str:
    """The command line is the same over either database: the embedded default is enough."""
    return "sqlite"


def _sync(studio: Studio, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "STUDIOSYNC_DATA_DIR": str(studio.settings.data_dir),
        "STUDIOSYNC_DATABASE_URL": studio.settings.resolved_database_url,
        "STUDIOSYNC_SANDBOX_URL": str(studio.settings.sandbox_url),
        "COLUMNS": "200",
    }
    return subprocess.run(
        [sys.executable, "-m", "studiosync", "sync", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_a_run_that_would_empty_the_calendar_waits_for_the_flag(
    studio: Studio, google: SandboxHandle, endpoints: GoogleEndpoints
) -> None:
    desk = Desk(studio, google, endpoints)
    maya = desk.link("maya")
    desk.sync(maya)
    made = [desk.book(maya, title=f"Session {n}") for n in range(25)]
    desk.sync(maya)
    for appointment in made[:22]:
        desk.remove(appointment)
    stopped = _sync(studio, "maya")
    assert stopped.returncode == 1, stopped.stdout + stopped.stderr
    assert "Sync stopped before deleting many appointments" in stopped.stdout
    assert "22 of the 25" in stopped.stdout and "--confirm-bulk-delete" in stopped.stdout
    assert len(desk.events(maya)) == 25
    confirmed = _sync(studio, "maya", "--confirm-bulk-delete")
    assert confirmed.returncode == 0, confirmed.stdout + confirmed.stderr
    assert len(desk.events(maya)) == 3
