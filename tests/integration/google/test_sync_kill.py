"""`studiosync sync` killed with SIGKILL in the middle of a Populate, again and again, converges.

The sandbox runs in its own process, so it outlives every kill. Kill times are drawn from a
seeded generator and counted from the child's first request to Google, so each kill lands in
the populate itself (between batches, during one, or while links are being recorded).
"""

from __future__ import annotations

import datetime as dt
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest
from google_world import START, Desk, Linked
from sqlalchemy import func, select

from studiosync.accounts.endpoints import GoogleEndpoints
from studiosync.context import Studio
from studiosync.sandbox.testing import SandboxHandle, running_sandbox
from studiosync.studio import appointments
from studiosync.studio.appointments import Assign
from studiosync.studio.google_options import google_settings
from studiosync.syncstate.models import SyncMapping

APPOINTMENTS = 400
KILLS = 5
SEED = 20261201


@pytest.fixture
def backend() -> str:
    """One database is enough here: the embedded default (SQLite, WAL)."""
    return "sqlite"


@pytest.fixture
def google() -> Iterator[SandboxHandle]:
    with running_sandbox(in_process=False) as handle:
        yield handle


def _child_env(studio: Studio) -> dict[str, str]:
    return {
        **os.environ,
        "STUDIOSYNC_DATA_DIR": str(studio.settings.data_dir),
        "STUDIOSYNC_DATABASE_URL": studio.settings.resolved_database_url,
        "STUDIOSYNC_SANDBOX_URL": str(studio.settings.sandbox_url),
        # The sandbox has no quota here; small batches leave more places to die in.
        "STUDIOSYNC_GOOGLE_REQUESTS_PER_MINUTE": "1000000",
        "STUDIOSYNC_GOOGLE_BATCH_SIZE": "20",
        "COLUMNS": "200",
    }


def _start(studio: Studio, user: Linked) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "studiosync", "sync", user.login],
        env=_child_env(studio),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _settled_count(google: SandboxHandle) -> int:
    """The request count once it stops moving (a killed child's last request may land late)."""
    last = google.stats()["total"]
    while True:
        time.sleep(0.1)
        now = google.stats()["total"]
        if now == last:
            return now
        last = now


def _await_first_request(google: SandboxHandle, seen: int, child: subprocess.Popen[bytes]) -> bool:
    """Wait until the child has talked to Google; False if it ended first."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if google.stats()["total"] > seen:
            return True
        if child.poll() is not None:
            return False
        time.sleep(0.01)
    raise AssertionError("the sync never reached Google")


def _book_many(studio: Studio, user: Linked) -> list[int]:
    with studio.transaction() as session:
        return [
            appointments.create_appointment(
                session,
                title=f"Session {n}",
                start=START + dt.timedelta(hours=n),
                end=START + dt.timedelta(hours=n, minutes=45),
                users=[Assign(user.login)],
            ).id
            for n in range(APPOINTMENTS)
        ]


def test_a_populate_killed_at_random_points_converges_without_duplicates(
    studio: Studio, google: SandboxHandle, endpoints: GoogleEndpoints
) -> None:
    desk = Desk(studio, google, endpoints)
    maya = desk.link("maya")
    booked = _book_many(studio, maya)
    desk.options("maya", populate_google=True)
    draw = random.Random(SEED)
    killed_mid_run = 0
    progress: list[int] = []
    for _ in range(KILLS):
        seen = _settled_count(google)
        child = _start(studio, maya)
        if _await_first_request(google, seen, child):
            time.sleep(draw.uniform(0.0, 0.2))
        if child.poll() is None:
            child.send_signal(signal.SIGKILL)
            killed_mid_run += 1
        child.wait(30)
        assert child.stderr is not None
        child.stderr.close()
        progress.append(len(desk.links(maya)))
    last = subprocess.run(
        [sys.executable, "-m", "studiosync", "sync", maya.login],
        env=_child_env(studio),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert last.returncode == 0, last.stdout + last.stderr
    adopted = google.count("POST", "/calendar/v3/calendars/{calendarId}/events", 409)
    assert killed_mid_run >= 3, (progress, adopted)
    events = desk.events(maya, maxResults=2500)
    assert len(events) == APPOINTMENTS  # none missing, none twice
    assert sorted(e["id"] for e in events) == sorted(desk.event_id(maya, a) for a in booked)
    assert desk.links(maya) == {a: desk.event_id(maya, a) for a in booked}
    with studio.transaction() as session:
        assert google_settings(session, "maya").populate_google is False
        count = select(func.count()).select_from(SyncMapping)
        assert session.scalar(count) == APPOINTMENTS
