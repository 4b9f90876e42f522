"""Benchmark: how soon changes arrive with Google's push notifications, and what push saves.

One run, the real stack on loopback: the sandbox Google in its own process posting
notifications to the studio's web app (uvicorn), and the Google Sync Processor with its
threads. It measures:

1. edit-to-studio latency: a location changed in the Google calendar ("on the phone") until
   the studio's appointment shows it, over --edits edits (median and 95th percentile);
2. booking-to-Google latency: an appointment booked in the studio until its event is in the
   Google calendar, over as many bookings;
3. Google requests per hour for 10,000 users of whom 1 % change something each hour, with
   push versus polling every 10 minutes, from the requests one sync of each kind was measured
   to make here (sandbox request counts) and the channel upkeep (a watch and a stop per user
   a week). Goals: p95 ≤ 5 s with push; ≥ 20× fewer requests with push, and ≤ 5 % of the
   project's quota (10,000 requests a minute).

Run: .venv/bin/python bench/realtime.py [--edits 100]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from studiosync.accounts.calendars import select_calendar
from studiosync.accounts.endpoints import google_endpoints
from studiosync.accounts.models import PushChannel
from studiosync.accounts.sandbox_signin import link_on_sandbox
from studiosync.clock import SystemClock
from studiosync.context import Studio, init_studio
from studiosync.control import jobs
from studiosync.control.processor import Processor
from studiosync.sandbox.testing import SandboxHandle, running_sandbox
from studiosync.settings import Settings
from studiosync.studio import appointments, people
from studiosync.studio.appointments import Assign
from studiosync.studio.google_options import set_google_settings
from studiosync.studio.models import Appointment
from studiosync.syncstate.models import SyncMapping
from studiosync.syncstate.runner import sync_user
from studiosync.testing.web import serving_web

EMAIL = "maya@sandbox.example"
PASSWORD = "bench password"
USERS = 10_000
CHANGING_SHARE = 0.01  # of the users, each hour
POLL_MINUTES = 10
RECONCILE_HOURS = 6.0
CHANNEL_DAYS = 6.0  # renewed a day before Google's 7 days: a watch and a stop each time
QUOTA_PER_HOUR = 10_000 * 60
P95_GOAL = 5.0
SAVING_GOAL = 20.0
QUOTA_SHARE_GOAL = 0.05
CLOCK = SystemClock()


def wait_for(condition: Callable[[], Any], limit: float = 30.0) -> float:
    started = time.perf_counter()
    while not condition():
        if time.perf_counter() - started > limit:
            raise RuntimeError(f"not within {limit} s")
        time.sleep(0.02)
    return time.perf_counter() - started


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def describe(label: str, seconds: list[float]) -> float:
    p95 = percentile(seconds, 0.95)
    print(
        f"  {label}: median {statistics.median(seconds):.2f} s, p95 {p95:.2f} s, "
        f"max {max(seconds):.2f} s over {len(seconds)}"
    )
    return p95


class Bench:
    def __init__(self, studio: Studio, google: SandboxHandle) -> None:
        self.studio, self.google = studio, google
        self.phone = google.calendar_service(EMAIL).events()
        with studio.transaction() as session:
            self.user_id = people.create_user(session, login="maya").id
        endpoints = google_endpoints(studio.settings)
        link_on_sandbox(studio, endpoints, "maya", EMAIL, PASSWORD)
        select_calendar(studio, endpoints, "maya", EMAIL)
        with studio.transaction() as session:
            set_google_settings(
                session, "maya", enabled=True, two_way=True, warnings_email="maya@studio.example"
            )
            jobs.set_schedule(session, "every 1 hour", CLOCK.now())
            jobs.set_computer(session, "any")
            jobs.enable(session, CLOCK.now())
            jobs.get_job(session).next_run_at = CLOCK.now() + dt.timedelta(hours=1)

    def book(self, number: int) -> int:
        start = dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(days=1 + number)
        with self.studio.transaction() as session:
            return appointments.create_appointment(
                session,
                title=f"Session {number}",
                start=start,
                end=start + dt.timedelta(hours=1),
                users=[Assign("maya")],
            ).id

    def event_of(self, appointment_id: int) -> str | None:
        with self.studio.transaction() as session:
            mapping = session.get(SyncMapping, (self.user_id, appointment_id))
            return mapping.event_id if mapping else None

    def in_google(self, event_id: str) -> bool:
        try:
            self.phone.get(calendarId=EMAIL, eventId=event_id).execute()
        except Exception:
            return False
        return True

    def location(self, appointment_id: int) -> str | None:
        with self.studio.transaction() as session:
            found = session.get(Appointment, appointment_id)
            return found.location if found else None

    def push_ready(self) -> bool:
        with self.studio.transaction() as session:
            channel = session.get(PushChannel, self.user_id)
            return channel is not None and channel.confirmed_at is not None

    def settle(self) -> None:
        """Until Google's echo of our own write has been heard and synced."""
        time.sleep(1.5)


def latencies(bench: Bench, count: int) -> tuple[list[float], list[float]]:
    to_google: list[float] = []
    to_studio: list[float] = []
    for number in range(count):
        began = time.perf_counter()
        booked = bench.book(number)
        wait_for(lambda: bench.event_of(booked))  # noqa: B023
        event_id = bench.event_of(booked)
        assert event_id is not None
        wait_for(lambda: bench.in_google(event_id))  # noqa: B023
        to_google.append(time.perf_counter() - began)
        bench.settle()
        place = f"Beach, spot {number}"
        began = time.perf_counter()
        bench.phone.patch(calendarId=EMAIL, eventId=event_id, body={"location": place}).execute()
        wait_for(lambda: bench.location(booked) == place)  # noqa: B023
        to_studio.append(time.perf_counter() - began)
    return to_google, to_studio


def requests_of(google: SandboxHandle, action: Callable[[], object]) -> int:
    google.clear_stats()
    action()
    return sum(int(row["count"]) for row in google.stats()["requests"])


def request_costs(studio: Studio, google: SandboxHandle, bench: Bench) -> tuple[int, int]:
    """Requests of a sync that finds nothing, and of one that carries one edit (processor
    stopped, so nothing else talks to the sandbox meanwhile)."""
    quiet = requests_of(google, lambda: sync_user(studio, bench.user_id))
    bench.book(999)
    changed = requests_of(google, lambda: sync_user(studio, bench.user_id))
    return quiet, changed


def quota(quiet: int, changed: int) -> None:
    changing = USERS * CHANGING_SHARE
    polling = USERS * (60 / POLL_MINUTES) * quiet + changing * (changed - quiet)
    # push: the changed user's sync, the no-change sync Google's echo of our write causes,
    # the reconciliation of everyone every few hours, and each channel's renewal
    push = (
        changing * (changed + quiet)
        + USERS / RECONCILE_HOURS * quiet
        + USERS * 2 / (CHANNEL_DAYS * 24)
    )
    saving = polling / push
    share = push / QUOTA_PER_HOUR
    print(
        f"  requests per sync: {quiet} with nothing new, {changed} with one change "
        "(measured on the sandbox)"
    )
    print(
        f"  {USERS:,} users, {CHANGING_SHARE:.0%} changing each hour: polling every "
        f"{POLL_MINUTES} min {polling:,.0f} requests/hour ({polling / QUOTA_PER_HOUR:.1%} of the "
        f"project quota); push {push:,.0f} requests/hour ({share:.2%})"
    )
    verdict = "meets" if saving >= SAVING_GOAL and share <= QUOTA_SHARE_GOAL else "MISSES"
    print(
        f"  push needs {saving:.0f}× fewer requests: {verdict} the goals of ≥ {SAVING_GOAL:.0f}× "
        f"and ≤ {QUOTA_SHARE_GOAL:.0%} of the quota"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=100, help="edits and bookings to time")
    args = parser.parse_args()
    print(f"bench/realtime.py: {args.edits} bookings and edits, {os.cpu_count()} CPUs")
    with (
        running_sandbox(in_process=False) as google,
        tempfile.TemporaryDirectory() as folder,
    ):
        google.create_account(EMAIL, PASSWORD)
        settings = Settings(data_dir=Path(folder), sandbox_url=google.base_url)
        studio = init_studio(settings, name="Bench Studio")
        bench = Bench(studio, google)
        sync_user(studio, bench.user_id)
        with serving_web(studio) as address:
            os.environ["STUDIOSYNC_PUBLIC_URL"] = address
            processor = Processor(studio=studio, syncer=sync_user, computer="bench")
            stop = threading.Event()
            thread = threading.Thread(target=processor.serve, args=(stop,), daemon=True)
            thread.start()
            wait_for(bench.push_ready)
            to_google, to_studio = latencies(bench, args.edits)
            stop.set()
            thread.join(30)
        print("latency with push (processor looks every 1 s):")
        p95 = max(
            describe("booking → Google", to_google), describe("phone edit → studio", to_studio)
        )
        verdict = "meets" if p95 <= P95_GOAL else "MISSES"
        print(f"  p95 {p95:.2f} s: {verdict} the goal of ≤ {P95_GOAL:.0f} s")
        print("Google requests:")
        quiet, changed = request_costs(studio, google, bench)
        quota(quiet, changed)
        studio.close()


if __name__ == "__main__":
    main()
