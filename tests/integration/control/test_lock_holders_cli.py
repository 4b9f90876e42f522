"""Someone else holds the lock: the installed command names who, and since when, and waits."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from control_world import add_user, ready_job

from studiosync.clock import SystemClock
from studiosync.context import Studio
from studiosync.control import locks
from studiosync.settings import Settings
from studiosync.studio.company import get_company

STUDIOSYNC = str(Path(sys.executable).with_name("studiosync"))
HOLDER = "front-desk/4242/5ca1ab1e"
CLOCK = SystemClock()
sqlite_only = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)


def _run(settings: Settings, *args: str) -> tuple[int, str]:
    env = {
        "PATH": str(Path(sys.executable).parent),
        "HOME": str(settings.data_dir),
        "STUDIOSYNC_DATA_DIR": str(settings.data_dir),
        "STUDIOSYNC_DATABASE_URL": settings.resolved_database_url,
        "STUDIOSYNC_SANDBOX_URL": str(settings.sandbox_url),
        "STUDIOSYNC_COMPUTER_NAME": "desk-1",
        "COLUMNS": "200",
    }
    done = subprocess.run(
        [STUDIOSYNC, *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    return done.returncode, " ".join((done.stdout + done.stderr).split())


def _hold(studio: Studio, name: str) -> str:
    """Take the lock for a processor elsewhere; its start time as the studio reads it."""
    since = CLOCK.now()
    assert locks.try_acquire(
        studio, name, HOLDER, ttl=locks.USER_LOCK_TTL, clock=CLOCK, stale_after=locks.STALE_AFTER
    )
    with studio.transaction() as session:
        local = since.astimezone(ZoneInfo(get_company(session).time_zone))
    return f"today at {local:%H:%M}"


@sqlite_only
def test_sync_refuses_a_user_a_round_is_syncing_and_names_the_holder(
    studio: Studio, settings: Settings
) -> None:
    with studio.transaction() as session:
        maya = add_user(session, "maya")
    lock = locks.user_lock_name(maya)
    since = _hold(studio, lock)

    code, said = _run(settings, "sync", "maya")

    assert code == 1, said
    assert f"maya is being synced right now by front-desk (process 4242), since {since}" in said
    assert "studiosync sync maya" in said and "Traceback" not in said
    assert locks.holder(studio, lock, clock=CLOCK).owner == HOLDER  # neither taken nor freed


@sqlite_only
def test_processor_once_names_the_round_running_elsewhere(
    studio: Studio, settings: Settings
) -> None:
    with studio.transaction() as session:
        add_user(session, "maya")
        ready_job(session, due=CLOCK.now())
    since = _hold(studio, locks.round_lease_name("google-sync"))

    code, said = _run(settings, "processor", "--once")

    assert code == 0, said
    assert f"A round is already running on front-desk (process 4242), since {since}" in said
    assert "taken over once it has not been heard from for 90 seconds" in said
    assert "Nothing due" not in said
