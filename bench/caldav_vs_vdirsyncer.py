"""Benchmark: studiosync against vdirsyncer, syncing 1,000 events with the same Radicale server.

Both tools sync their own calendar of one Radicale (on loopback, with authentication) in one run:
studiosync a studio of 1,000 appointments for one CalDAV-connected user (Populate, then the
change feed), vdirsyncer a folder of 1,000 .ics files paired with the calendar. For each tool it
prints the first sync, a sync with nothing to do and a sync of 10 edits, each as wall time and
HTTP requests (counted by the server, from its request log, the same way for both), then the
ratios studiosync / vdirsyncer next to their goals: first sync ≤ 0.5×, 10 edits ≤ 0.1×,
no change ≤ 0.05× and ≤ 2 requests.

Run: .venv/bin/python bench/caldav.py [--events N]   (which runs this file)
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from studiosync.accounts.calendars import select_calendar
from studiosync.accounts.dav_linking import link_dav
from studiosync.accounts.endpoints import google_endpoints
from studiosync.context import Studio, init_studio
from studiosync.settings import Settings
from studiosync.studio import appointments, people
from studiosync.studio.appointments import Assign
from studiosync.studio.google_options import set_google_settings
from studiosync.studio.validation import find_user
from studiosync.syncstate.runner import sync_user
from studiosync.testing.dav_servers import DavServer, request_count, running_radicale

EDITS = 10
START = (dt.datetime.now(dt.UTC) + dt.timedelta(days=1)).replace(
    hour=8, minute=0, second=0, microsecond=0
)
VDIRSYNCER = Path(sys.executable).parent / "vdirsyncer"


@dataclass(frozen=True)
class Figure:
    seconds: float
    requests: int


def measured(server: DavServer, step: Callable[[], object]) -> Figure:
    before, began = request_count(server), time.perf_counter()
    step()
    seconds = time.perf_counter() - began
    time.sleep(0.2)  # the server's log line of the last request
    return Figure(seconds, request_count(server) - before)


def when(index: int) -> dt.datetime:
    """Events one hour each, spread over the coming months, within both tools' windows."""
    return START + dt.timedelta(days=index // 8, hours=index % 8)


# -- studiosync -------------------------------------------------------------------------------


def studio_with(events: int, folder: Path) -> Studio:
    (folder / "data").mkdir()
    studio = init_studio(Settings(data_dir=folder / "data"))
    with studio.transaction() as session:
        people.create_user(session, login="maya")
        for index in range(events):
            appointments.create_appointment(
                session,
                title=f"Session {index}",
                start=when(index),
                end=when(index) + dt.timedelta(hours=1),
                users=[Assign("maya")],
            )
    return studio


def studiosync_figures(server: DavServer, events: int, folder: Path) -> list[Figure]:
    studio = studio_with(events, folder)
    name = f"studiosync-{uuid.uuid4().hex[:6]}"
    server.make_calendar(name)
    link_dav(studio, "maya", server.url, server.username, server.password)
    select_calendar(studio, google_endpoints(studio.settings), "maya", name)
    with studio.transaction() as session:
        set_google_settings(
            session,
            "maya",
            enabled=True,
            two_way=True,
            populate_google=True,
            warnings_email="maya@studio.example",
        )
        user_id = find_user(session, "maya").id

    def sync() -> None:
        result = sync_user(studio, user_id)
        assert result.ok, [entry.code for entry in result.errors]

    first = measured(server, sync)
    sync()  # Populate unchecks itself after the run that finished it
    idle = measured(server, sync)
    with studio.transaction() as session:
        for appointment_id in range(1, EDITS + 1):
            appointments.update_appointment(
                session, appointment_id, title=f"Session {appointment_id}, moved"
            )
    edits = measured(server, sync)
    studio.engine.dispose()
    return [first, idle, edits]


# -- vdirsyncer -------------------------------------------------------------------------------


def ics(uid: str, summary: str, index: int) -> str:
    start, end = when(index), when(index) + dt.timedelta(hours=1)
    stamp = "%Y%m%dT%H%M%SZ"
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//bench//EN\r\nBEGIN:VEVENT\r\n"
        f"UID:{uid}\r\nDTSTAMP:{START.strftime(stamp)}\r\n"
        f"DTSTART:{start.strftime(stamp)}\r\nDTEND:{end.strftime(stamp)}\r\n"
        f"SUMMARY:{summary}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )


def vdirsyncer_figures(server: DavServer, events: int, folder: Path) -> list[Figure]:
    name = f"vdirsyncer-{uuid.uuid4().hex[:6]}"
    calendar = server.make_calendar(name)
    local = folder / "local"
    local.mkdir()
    for index in range(events):
        uid = f"bench-{index}"
        (local / f"{uid}.ics").write_text(ics(uid, f"Session {index}", index))
    config = folder / "config"
    config.write_text(
        "[general]\n"
        f'status_path = "{folder / "status"}"\n\n'
        "[pair bench]\n"
        'a = "local"\nb = "remote"\ncollections = null\nconflict_resolution = "a wins"\n\n'
        '[storage local]\ntype = "filesystem"\n'
        f'path = "{local}"\nfileext = ".ics"\n\n'
        '[storage remote]\ntype = "caldav"\n'
        f'url = "{calendar}"\nusername = "{server.username}"\npassword = "{server.password}"\n'
    )

    def run(*args: str) -> None:
        subprocess.run(
            [str(VDIRSYNCER), "-c", str(config), *args],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    run("discover")
    first = measured(server, lambda: run("sync"))
    idle = measured(server, lambda: run("sync"))
    for index in range(EDITS):
        uid = f"bench-{index}"
        (local / f"{uid}.ics").write_text(ics(uid, f"Session {index}, moved", index))
    edits = measured(server, lambda: run("sync"))
    return [first, idle, edits]


# -- the report --------------------------------------------------------------------------------

STEPS = ("first sync", "no change", f"{EDITS} edits")
GOALS = (0.5, 0.05, 0.1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1000)
    events = parser.parse_args().events
    folder = Path(tempfile.mkdtemp(prefix="studiosync-bench-caldav-"))
    try:
        with running_radicale(log_requests=True) as server:
            (folder / "ours").mkdir()
            (folder / "theirs").mkdir()
            ours = studiosync_figures(server, events, folder / "ours")
            theirs = vdirsyncer_figures(server, events, folder / "theirs")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(f"{events} events, one Radicale on loopback\n")
    print(f"{'':12} {'studiosync':>22} {'vdirsyncer':>22} {'time ratio':>11} {'goal':>7}")
    for step, mine, other, goal in zip(STEPS, ours, theirs, GOALS, strict=True):
        ratio = mine.seconds / other.seconds if other.seconds else float("inf")
        print(
            f"{step:12} {mine.seconds:9.2f} s {mine.requests:6} req "
            f"{other.seconds:9.2f} s {other.requests:6} req {ratio:10.3f}× "
            f"{'≤ ' + str(goal) + '×':>7} {'met' if ratio <= goal else 'not met'}"
        )
    idle = ours[1].requests
    print(f"\nno-change sync: {idle} requests (goal ≤ 2, {'met' if idle <= 2 else 'not met'})")


if __name__ == "__main__":
    main()
