"""`studiosync sync` killed with SIGKILL in the middle of a Populate to a CalDAV calendar converges.

The server (Radicale or Xandikos) runs in its own process and outlives every kill. Each kill is
drawn from a seeded generator and lands after the child has recorded its first links, so it
falls inside the populate; the last run finishes it with every appointment on the server once.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import signal
import subprocess
import sys
import time

import pytest
from dav_helpers import SOON, linked_user
from sqlalchemy import func, select

from studiosync.context import Studio
from studiosync.providers.caldav.provider import connect
from studiosync.studio import appointments
from studiosync.studio.appointments import Assign
from studiosync.studio.google_options import google_settings, set_google_settings
from studiosync.syncstate.models import SyncMapping
from studiosync.testing.dav_servers import DavServer

APPOINTMENTS = 150
KILLS = 4
SEED = 20261203


@pytest.fixture
def backend() -> str:
    """One database is enough here: the embedded default (SQLite, WAL)."""
    return "sqlite"


def _child_env(studio: Studio, server: DavServer) -> dict[str, str]:
    env = {
        **os.environ,
        "STUDIOSYNC_DATA_DIR": str(studio.settings.data_dir),
        "STUDIOSYNC_DATABASE_URL": studio.settings.resolved_database_url,
        # small batches leave more places to die in
        "STUDIOSYNC_GOOGLE_REQUESTS_PER_MINUTE": "1000000",
        "STUDIOSYNC_GOOGLE_BATCH_SIZE": "10",
    }
    if server.ca_file:
        env["STUDIOSYNC_DAV_CA_BUNDLE"] = server.ca_file
    return env


def _links(studio: Studio) -> int:
    with studio.transaction() as session:
        return session.scalar(select(func.count()).select_from(SyncMapping)) or 0


def _await_first_links(studio: Studio, child: subprocess.Popen[bytes]) -> bool:
    """Wait until the child has recorded links beyond those before it; False if it ended."""
    before = _links(studio)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if _links(studio) > before:
            return True
        if child.poll() is not None:
            return False
        time.sleep(0.02)
    raise AssertionError("the sync never recorded a link")


def test_a_populate_to_caldav_killed_at_random_points_converges_without_duplicates(
    studio: Studio, dav_server: DavServer
) -> None:
    user_id, calendar = linked_user(studio, dav_server, "maya")
    with studio.transaction() as session:
        booked = [
            appointments.create_appointment(
                session,
                title=f"Session {n}",
                start=SOON + dt.timedelta(hours=n),
                end=SOON + dt.timedelta(hours=n, minutes=45),
                users=[Assign("maya")],
            ).id
            for n in range(APPOINTMENTS)
        ]
        set_google_settings(session, "maya", populate_google=True)
    draw = random.Random(SEED)
    killed_mid_run = 0
    command = [sys.executable, "-m", "studiosync", "sync", "maya"]
    for _ in range(KILLS):
        child = subprocess.Popen(
            command, env=_child_env(studio, dav_server), stdout=subprocess.DEVNULL
        )
        if _await_first_links(studio, child):
            time.sleep(draw.uniform(0.0, 0.1))
        if child.poll() is None:
            child.send_signal(signal.SIGKILL)
            killed_mid_run += 1
        child.wait(30)
    last = subprocess.run(
        command,
        env=_child_env(studio, dav_server),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert last.returncode == 0, last.stdout + last.stderr
    assert killed_mid_run >= 2

    provider = connect(
        dav_server.url, dav_server.username, dav_server.password, verify=dav_server.verify
    )
    on_server = provider.changes(calendar, None).events
    titles = sorted(event.summary for event in on_server)
    assert titles == sorted(f"Session {n}" for n in range(APPOINTMENTS))  # none missing or twice
    with studio.transaction() as session:
        assert google_settings(session, user_id).populate_google is False
        mapped = session.scalars(select(SyncMapping.appointment_id)).all()
    assert sorted(mapped) == sorted(booked)
