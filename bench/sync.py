"""Benchmark: Google Sync over the real stack (SQLite studio, engine, provider, HTTP, sandbox).

Prints each figure next to its goal:

1. Populate of 10,000 appointments for one user: HTTP requests and time (goal ≤ 210 requests,
   sandbox quotas off, so the run is paced as a project without a quota would be).
2. A run with nothing to do, two-way sync and contacts on: requests (goal ≤ 2).
3. A run with 10 studio changes in a studio of 1,000 and of 100,000 appointments: median time
   and their ratio (goal ≤ 1.5).
4. The call rate a long push reaches under a per-user quota of 600 a minute, with the product's
   pacing, and how many calls Google refused (goal ≥ 95 % of the quota, 0 refused). The engine
   sends one batch at once, then keeps to the rate less one batch, so the product's batch is
   1/24 of the rate (25 at 600/min; see syncstate.pacing_settings); batches of 100 are shown
   for comparison.
5. Peak RSS of `studiosync sync` processes over 100,000 appointments (goal ≤ 200 MB).

The sandbox runs in its own process and every request is counted from /_sandbox/stats. "HTTP
requests" counts a batch as one request; "API calls" counts each call inside it, as Google's
quota does. Run: .venv/bin/python bench/sync.py [--quick]   (--quick: a 1-minute quota push)
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import insert, update

from studiosync.accounts.calendars import select_calendar
from studiosync.accounts.endpoints import google_endpoints
from studiosync.accounts.sandbox_signin import link_on_sandbox
from studiosync.context import Studio, init_studio
from studiosync.sandbox.testing import CONTACTS_SCOPE, SandboxHandle, running_sandbox
from studiosync.settings import Settings
from studiosync.studio import appointments, clients, people
from studiosync.studio.appointments import Assign
from studiosync.studio.google_options import set_google_settings
from studiosync.studio.models import (
    Appointment,
    AppointmentChange,
    AppointmentStatus,
    Assignment,
    ChangeKind,
    FeedCounter,
)
from studiosync.sync.options import Pacing
from studiosync.sync.result import RunResult
from studiosync.syncstate.pacing_settings import GooglePacingSettings
from studiosync.syncstate.runner import sync_user

START = dt.datetime(2027, 1, 4, 8, 0, tzinfo=dt.UTC)
UNLIMITED = 1_000_000  # requests a minute: a project whose quota is not in the way
QUOTA = 600
WRITES = ("POST", "PUT", "PATCH", "DELETE")
WARM_UP = 2  # runs not timed: the first ones pay for caches being filled
ROUNDS = 9
BIG = 100_000


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} (2 cores, shared)"


def verdict(ok: bool) -> str:
    return "meets the goal" if ok else "MISSES the goal"


@dataclass(frozen=True)
class Count:
    """Requests seen by the sandbox since its stats were cleared."""

    http: int  # what went over the wire: a batch is one request
    calls: int  # API calls as Google's quota counts them: each call inside a batch
    refused: int  # 403 rate/quota and 429 answers

    @classmethod
    def of(cls, google: SandboxHandle) -> Count:
        rows: list[dict[str, Any]] = google.stats()["requests"]
        inner = sum(
            row["count"]
            for row in rows
            if row["method"] in WRITES and row["path"].startswith("/calendar/v3/calendars/")
        )
        batches = sum(row["count"] for row in rows if row["path"].startswith("/batch"))
        tokens = sum(row["count"] for row in rows if row["path"] == "/token")
        total = sum(row["count"] for row in rows)
        refused = sum(row["count"] for row in rows if row["status"] in (403, 429))
        return cls(total - inner, total - batches - tokens, refused)


@dataclass
class Desk:
    """One studio (its own SQLite file) with one user linked to one sandbox account."""

    studio: Studio
    google: SandboxHandle
    login: str
    user_id: int

    @property
    def env(self) -> dict[str, str]:
        """The environment a `studiosync` child process needs to open this studio."""
        settings = self.studio.settings
        return {
            **os.environ,
            "STUDIOSYNC_DATA_DIR": str(settings.data_dir),
            "STUDIOSYNC_DATABASE_URL": settings.resolved_database_url,
            "STUDIOSYNC_SANDBOX_URL": str(settings.sandbox_url),
            "STUDIOSYNC_GOOGLE_REQUESTS_PER_MINUTE": str(UNLIMITED),
        }

    def options(self, **changes: Any) -> None:
        with self.studio.transaction() as session:
            set_google_settings(session, self.login, **changes)

    def sync(self, pacing: Pacing | None = None) -> tuple[RunResult, float]:
        began = time.perf_counter()
        result = sync_user(self.studio, self.user_id, pacing=pacing or unlimited())
        elapsed = time.perf_counter() - began
        if result.stopped is not None or result.errors:
            raise SystemExit(f"the sync run failed: {result.log[-3:]}")
        return result, elapsed

    def sync_in_child(self) -> tuple[float, float]:
        """`studiosync sync USER` in its own process: (seconds, peak RSS in MB)."""
        began = time.perf_counter()
        child = subprocess.Popen(
            [sys.executable, "-m", "studiosync", "sync", self.login],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        assert child.stderr is not None
        errors = child.stderr.read().decode(errors="replace")
        child.stderr.close()
        if child.returncode != 0:
            raise SystemExit(f"`studiosync sync {self.login}` failed: {errors[-2000:]}")
        return time.perf_counter() - began, usage.ru_maxrss / 1024


def unlimited() -> Pacing:
    return GooglePacingSettings(requests_per_minute=UNLIMITED).pacing()


def bulk_load(studio: Studio, user_id: int, count: int) -> None:
    """``count`` appointments of the user, each with its feed entry, in a few big INSERTs."""
    with studio.transaction() as session:
        for first in range(1, count + 1, 10_000):
            ids = range(first, min(first + 10_000, count + 1))
            when = {n: START + dt.timedelta(hours=n % 5000, days=n // 5000) for n in ids}
            session.execute(
                insert(Appointment),
                [
                    {
                        "id": n,
                        "title": f"Session {n}",
                        "type": "Portrait",
                        "all_day": False,
                        "start_at": when[n],
                        "end_at": when[n] + dt.timedelta(hours=1),
                        "time_zone": "UTC",
                        "status": "confirmed",
                        "origin": "studio",
                        "created_at": START,
                        "updated_at": START,
                        "version": 1,
                    }
                    for n in ids
                ],
            )
            session.execute(
                insert(Assignment),
                [{"appointment_id": n, "user_id": user_id, "role": "photographer"} for n in ids],
            )
            session.execute(
                insert(AppointmentChange),
                [
                    {
                        "seq": n,
                        "appointment_id": n,
                        "user_id": user_id,
                        "kind": ChangeKind.INSERT,
                        "changed_at": START,
                    }
                    for n in ids
                ],
            )
        session.execute(update(FeedCounter).values(value=count))


@contextmanager
def studio_of(google: SandboxHandle, folder: Path, login: str, size: int) -> Iterator[Desk]:
    """A fresh studio with ``size`` appointments for ``login``, linked to the sandbox."""
    settings = Settings(data_dir=folder / login, sandbox_url=google.base_url)
    studio = init_studio(settings, name=f"Bench {login}")
    try:
        email = f"{login}@bench.example"
        google.create_account(email, "pw")
        with studio.transaction() as session:
            user_id = people.create_user(session, login=login).id
            clients.create_group(session, name="From Google")
        bulk_load(studio, user_id, size)
        endpoints = google_endpoints(settings)
        link_on_sandbox(studio, endpoints, login, email, "pw")
        select_calendar(studio, endpoints, login, email)
        desk = Desk(studio, google, login, user_id)
        desk.options(enabled=True, warnings_email=f"{login}@studio.example")
        yield desk
    finally:
        studio.close()


def populate(desk: Desk, *, in_child: bool) -> tuple[Count, float, float]:
    """Populate Google Calendar once: (requests, seconds, peak RSS MB of a child or 0)."""
    desk.options(populate_google=True)
    desk.google.clear_stats()
    if in_child:
        seconds, rss = desk.sync_in_child()
    else:
        _, seconds = desk.sync()
        rss = 0.0
    return Count.of(desk.google), seconds, rss


def ten_changes(desk: Desk, round_number: int, size: int) -> None:
    """4 new appointments, 4 edited and 2 cancelled, spread over the studio."""
    with desk.studio.transaction() as session:
        for n in range(4):
            appointments.create_appointment(
                session,
                title=f"New {round_number}.{n}",
                start=START,
                end=START + dt.timedelta(hours=1),
                users=[Assign(desk.login)],
            )
        for n in range(6):  # a prime stride: every (round, n) edits another appointment
            target = 1 + ((round_number * 6 + n) * 7919) % size
            if n < 4:
                appointments.update_appointment(session, target, notes=f"Round {round_number}")
            else:
                appointments.update_appointment(session, target, status=AppointmentStatus.CANCELLED)


def timed_changes(desk: Desk, size: int, number: int) -> float:
    """Seconds of one run that syncs 10 studio changes."""
    ten_changes(desk, number, size)
    result, seconds = desk.sync()
    counts = result.counts
    assert (counts.pushed_new, counts.pushed_updated, counts.pushed_deleted) == (4, 4, 2)
    return seconds


def section_populate_and_quiet(google: SandboxHandle, folder: Path) -> None:
    print("\n1. Populate Google Calendar with 10,000 appointments (sandbox quotas off)")
    with studio_of(google, folder, "pop10k", 10_000) as desk:
        pacing = unlimited()
        count, seconds, _ = populate(desk, in_child=False)
        print(
            f"   {count.http} HTTP requests ({count.calls:,} API calls) in {seconds:.1f} s, "
            f"batches of {pacing.batch_size} (the product's pacing for a quota of "
            f"{UNLIMITED:,}/min) — goal ≤ 210 requests: {verdict(count.http <= 210)}"
        )
        print(f"   {load()}")
        print("\n2. A run with nothing to do (two-way sync and contacts on)")
        people_api = google.people_service("pop10k@bench.example", (CONTACTS_SCOPE,)).people()
        for n in range(3):
            people_api.createContact(
                body={"names": [{"unstructuredName": f"Client {n}"}]}
            ).execute()
        desk.options(two_way=True, import_contacts=True, contacts_group="From Google")
        desk.sync()  # the first two-way run reads the calendar and the contacts in full
        google.clear_stats()
        _, seconds = desk.sync()
        quiet = Count.of(google)
        print(
            f"   {quiet.http} HTTP requests in {seconds * 1000:.0f} ms — goal ≤ 2: "
            f"{verdict(quiet.http <= 2)}"
        )


def prepared(google: SandboxHandle, folder: Path, size: int, stack: ExitStack) -> Desk:
    """A studio of ``size`` appointments, populated and read once two-way (child processes)."""
    desk = stack.enter_context(studio_of(google, folder, f"inc{size}", size))
    count, seconds, rss = populate(desk, in_child=True)
    print(
        f"   {size:>7,}: populate (a `studiosync sync` process) {seconds:.0f} s, "
        f"{count.http} HTTP requests, peak RSS {rss:.0f} MB"
    )
    desk.options(two_way=True)
    listed, listing_rss = desk.sync_in_child()
    print(
        f"   {size:>7,}: first two-way run, a full listing of every event (not part of the "
        f"goal): {listed:.0f} s, peak RSS {listing_rss:.0f} MB"
    )
    if size == BIG:
        ten_changes(desk, ROUNDS + WARM_UP, size)
        _, changes_rss = desk.sync_in_child()
        print(
            f"   {size:>7,}: peak RSS populate {rss:.0f} MB, 10 changes {changes_rss:.0f} MB "
            f"— goal ≤ 200 MB: {verdict(max(rss, changes_rss) <= 200)}"
        )
    print(f"   {load()}")
    return desk


def section_incremental_and_memory(google: SandboxHandle, folder: Path) -> None:
    print(f"\n3. and 5. 10 studio changes, two-way, at 1,000 and at {BIG:,} appointments")
    with ExitStack() as stack:
        desks = {size: prepared(google, folder, size, stack) for size in (1_000, BIG)}
        timings: dict[int, list[float]] = {size: [] for size in desks}
        for number in range(WARM_UP + ROUNDS):  # turn about, so load on the machine hits both
            for size, desk in desks.items():
                seconds = timed_changes(desk, size, number)
                if number >= WARM_UP:
                    timings[size].append(seconds)
    medians = {size: statistics.median(found) for size, found in timings.items()}
    for size, found in timings.items():
        print(
            f"   {size:>7,}: 10 changes in {medians[size] * 1000:.0f} ms (median of "
            f"{len(found)}: {', '.join(f'{t * 1000:.0f}' for t in found)} ms)"
        )
    ratio = medians[BIG] / medians[1_000]
    print(f"   ratio {BIG:,} / 1,000 = {ratio:.2f} — goal ≤ 1.5: {verdict(ratio <= 1.5)}")
    print(f"   {load()}")


def quota_push(google: SandboxHandle, folder: Path, batch: int, minutes: float) -> None:
    """Push appointments for ``minutes`` under a 600/min quota; print the achieved rate."""
    pacing = Pacing(requests_per_minute=QUOTA, batch_size=batch)
    steady = QUOTA - pacing.burst
    size = int(pacing.burst + steady * minutes)  # enough to keep the push busy that long
    with studio_of(google, folder, f"rate{batch}", size) as desk:
        desk.options(populate_google=True)
        google.configure(quota_user_per_minute=QUOTA)
        google.clear_stats()
        try:
            result, seconds = desk.sync(pacing)
        finally:
            google.configure(quota_user_per_minute=None)
        count = Count.of(google)
        accepted = count.calls - count.refused
        rate = accepted / seconds * 60
        share = rate / QUOTA
        after_first = (accepted - pacing.burst) / seconds * 60  # without the opening batch
        print(
            f"   batches of {batch:>3}: {result.counts.pushed:,} events in {seconds:.0f} s = "
            f"{rate:.0f} calls/min = {share:.1%} of the quota ({after_first:.0f}/min after the "
            f"first batch), {count.refused} refused — goal ≥ 95 %, 0 refused: "
            f"{verdict(share >= 0.95 and count.refused == 0)}"
        )
        print(f"   {load()}")


def section_quota(google: SandboxHandle, folder: Path, minutes: float) -> None:
    print(f"\n4. A {minutes:g}-minute push under a quota of {QUOTA} calls/min per user")
    product = GooglePacingSettings(requests_per_minute=QUOTA).pacing().batch_size
    print(f"   the product's pacing at {QUOTA}/min: batches of {product}")
    quota_push(google, folder, product, minutes)
    if product != 100:
        print("   for comparison, batches of 100 (the batch used when the quota leaves room):")
        quota_push(google, folder, 100, minutes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a 1-minute quota push")
    args = parser.parse_args()
    print(f"Google Sync benchmark — {load()}")
    began = time.perf_counter()
    with running_sandbox(in_process=False) as google, tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        section_populate_and_quiet(google, folder)
        section_incremental_and_memory(google, folder)
        section_quota(google, folder, 1.0 if args.quick else 2.5)
    print(f"\nDone in {time.perf_counter() - began:.0f} s — {load()}")


if __name__ == "__main__":
    main()
