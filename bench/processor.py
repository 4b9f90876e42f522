"""Benchmark: one no-change Google Sync round for 10,000 users against the Google sandbox.

Modes: embedded (SQLite, the processor's own threads, goal ≤ 60 s; then worker processes, one
per CPU, goal ≤ 30 s) and scale-out (PostgreSQL +
Redis, Celery workers as subprocesses; goal: 2 workers take ≤ 0.7× the time of 1). Setup is
bulk: users, Google tabs and linked accounts (tokens issued by the sandbox's admin endpoint,
stored encrypted) in a few core inserts. A warm-up round gives every user a sync token and a
cursor; the measured round is the next one, where nothing changed. With each round it prints
the CPU share of the sandbox process and of the others (CPU seconds / wall seconds), the whole
machine's busy share (other people's work included) and the load average, and the requests the
round made per user. Run: .venv/bin/python bench/processor.py [--quick] [--mode all]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from threading import local
from typing import Any

import httpx
from sqlalchemy import func, insert, select

from cpu import Meter, Watched, child_running, children, load, own_cpu_seconds, tree_cpu_seconds
from studiosync.accounts.endpoints import SCOPES
from studiosync.accounts.models import AccountStatus, GoogleAccount
from studiosync.clock import SystemClock
from studiosync.context import Studio, init_studio
from studiosync.control import jobs
from studiosync.control.computers import heartbeat
from studiosync.control.models import LogLine, UserRun
from studiosync.control.processes import ProcessDispatcher
from studiosync.control.processor import Processor
from studiosync.control.syncer import load_syncer
from studiosync.sandbox.testing import SandboxHandle, running_sandbox
from studiosync.settings import Settings
from studiosync.studio.models import GoogleSettings, Role, User

EMBEDDED_GOAL_SECONDS = 60.0
PROCESSES_GOAL_SECONDS = 30.0
SCALE_OUT_GOAL_RATIO = 0.7
COMPUTER = "bench-box"
PASSWORD = "bench password"
BULK = 5_000
CLOCK = SystemClock()


# -- setup -----------------------------------------------------------------------------------


def email_of(number: int) -> str:
    return f"photographer{number:05d}@bench.example"


def sandbox_accounts(google: SandboxHandle, users: int) -> list[dict[str, Any]]:
    """Accounts in bulk; then each one's tokens from the admin token endpoint, 2 at a time."""
    began = time.perf_counter()
    emails = [email_of(n) for n in range(users)]
    for first in range(0, users, BULK):
        chunk = [{"email": email} for email in emails[first : first + BULK]]
        google.admin("POST", "/accounts:bulk", {"password": PASSWORD, "accounts": chunk})
    made = time.perf_counter()
    clients: list[httpx.Client] = []
    per_thread = local()

    def issue(email: str) -> dict[str, Any]:
        if not hasattr(per_thread, "http"):
            per_thread.http = httpx.Client(base_url=google.base_url, timeout=60)
            clients.append(per_thread.http)
        answer = per_thread.http.post(f"/_sandbox/accounts/{email}/tokens", json={"scopes": SCOPES})
        answer.raise_for_status()
        tokens: dict[str, Any] = answer.json()
        return tokens

    with ThreadPoolExecutor(2) as pool:
        issued = list(pool.map(issue, emails))
    for client in clients:
        client.close()
    print(
        f"  setup: {users:,} sandbox accounts (bulk) {made - began:5.1f} s, "
        f"their tokens (admin token endpoint) {time.perf_counter() - made:5.1f} s"
    )
    return issued


def studio_users(studio: Studio, tokens: list[dict[str, Any]]) -> None:
    """Users, their Google tabs and linked accounts (tokens encrypted) by core inserts."""
    now = CLOCK.now()
    box = studio.box
    with studio.transaction() as session:
        rows = [
            {
                "login": f"photographer{n:05d}",
                "display_name": f"Photographer {n}",
                "role": Role.PHOTOGRAPHER,
                "active": True,
                "created_at": now,
            }
            for n in range(len(tokens))
        ]
        made = session.execute(
            insert(User).returning(User.id, sort_by_parameter_order=True), rows
        ).all()
        ids = [row.id for row in made]
        session.execute(
            insert(GoogleSettings),
            [
                {
                    "user_id": user_id,
                    "enabled": True,
                    "calendar_id": email_of(n),  # the account's primary calendar
                    "populate_google": False,
                    "populate_studio": False,
                    "two_way": True,
                    "download_tentative": False,
                    "import_contacts": False,
                    "email_warnings": True,
                    "warnings_email": f"photographer{n:05d}@studio.example",
                    "email_detailed_logs": False,
                }
                for n, user_id in enumerate(ids)
            ],
        )
        session.execute(
            insert(GoogleAccount),
            [
                {
                    "user_id": user_id,
                    "google_email": email_of(n),
                    "refresh_token_encrypted": box.encrypt(str(grant["refresh_token"])),
                    "access_token_encrypted": box.encrypt(str(grant["access_token"])),
                    "access_token_expiry": now + dt.timedelta(seconds=int(grant["expires_in"])),
                    "scopes": list(SCOPES),
                    "status": AccountStatus.LINKED,
                    "linked_at": now,
                    "last_refreshed_at": now,
                }
                for n, (user_id, grant) in enumerate(zip(ids, tokens, strict=True))
            ],
        )


def ready_job(studio: Studio) -> None:
    """This computer checks in and is chosen to run the enabled Google Sync Processor job."""
    heartbeat(studio, CLOCK, name=COMPUTER)
    with studio.transaction() as session:
        jobs.set_computer(session, COMPUTER)
        jobs.enable(session, CLOCK.now())


def set_up(studio: Studio, google: SandboxHandle, users: int) -> None:
    tokens = sandbox_accounts(google, users)
    began = time.perf_counter()
    studio_users(studio, tokens)
    ready_job(studio)
    print(
        f"  setup: studio users + Google tabs + linked accounts (bulk) "
        f"{time.perf_counter() - began:5.1f} s"
    )


# -- one round -------------------------------------------------------------------------------


@dataclass
class RoundFigures:
    seconds: float
    meter: Meter
    requests: dict[str, int]
    outcomes: dict[str, int]
    codes: dict[str, int]
    changed: int


def run_round(
    studio: Studio,
    google: SandboxHandle,
    processor: Processor,
    watched: Watched,
) -> RoundFigures:
    google.clear_stats()
    with Meter(watched) as meter:
        outcome = processor.run_round(manual=True)
    assert outcome is not None, "the round lease was held elsewhere"
    requests: dict[str, int] = {}
    for row in google.stats()["requests"]:
        key = f"{row['method']} {row['path']} {row['status']}"
        requests[key] = requests.get(key, 0) + int(row["count"])
    with studio.transaction() as session:
        outcomes = dict(
            session.execute(
                select(UserRun.status, func.count())
                .where(UserRun.run_id == outcome.run_id)
                .group_by(UserRun.status)
            ).all()
        )
        codes = dict(
            session.execute(
                select(LogLine.code, func.count())
                .where(LogLine.run_id == outcome.run_id)
                .group_by(LogLine.code)
            ).all()
        )
        changed = sum(
            int(value)
            for counts in session.scalars(
                select(UserRun.counts).where(UserRun.run_id == outcome.run_id)
            )
            for value in (counts or {}).values()
        )
    return RoundFigures(meter.wall, meter, requests, outcomes, codes, changed)


def report(label: str, figures: RoundFigures, users: int) -> None:
    total = sum(figures.requests.values())
    per_path = ", ".join(
        f"{key} ×{count / users:.2f}"
        for key, count in sorted(figures.requests.items(), key=lambda item: -item[1])
    )
    print(
        f"  {label}: {figures.seconds:6.1f} s ({figures.seconds / users * 1000:.2f} ms/user), "
        f"{load()}"
    )
    print(f"    {figures.meter.describe()}")
    spent = figures.meter.used
    print(  # CPU time per user does not depend on what else the machine runs, wall time does
        "    CPU ms per user: "
        + ", ".join(f"{name} {seconds / users * 1000:.2f}" for name, seconds in spent.items())
        + f"; all of these {sum(spent.values()) / users * 1000:.2f}"
    )
    print(f"    requests per user {total / users:.2f}: {per_path or 'none'}")
    print(
        f"    users by outcome {figures.outcomes}; items changed {figures.changed}; "
        f"log lines by code {figures.codes or '{}'}"
    )


# -- modes -----------------------------------------------------------------------------------


def sandbox_meter() -> Watched:
    """The sandbox runs in a child process of this one (``running_sandbox(in_process=False)``)."""
    pid = child_running("studiosync.sandbox")
    return {"sandbox": partial(tree_cpu_seconds, pid)}


def embedded(users: int, processes: int) -> float:
    print(f"embedded: SQLite, thread dispatcher, {users:,} users")
    with (
        running_sandbox(in_process=False) as google,
        tempfile.TemporaryDirectory() as folder,
    ):
        settings = Settings(
            data_dir=Path(folder),
            database_url=None,
            broker_url=None,
            sandbox_url=google.base_url,
            computer_name=COMPUTER,
        )
        studio = init_studio(settings, name="Bench Studio")
        set_up(studio, google, users)
        processor = Processor.from_settings(studio, load_syncer(), computer=COMPUTER)
        print(f"  processor: {processor.concurrency} threads")
        watched: Watched = {
            **sandbox_meter(),
            "processor": own_cpu_seconds,
        }
        report(
            "warm-up round (first sync: full listings)",
            run_round(studio, google, processor, watched),
            users,
        )
        figures = run_round(studio, google, processor, watched)
        report("no-change round", figures, users)
        by_processes = processes_round(studio, google, processor, processes, watched)
        studio.close()
    goal = EMBEDDED_GOAL_SECONDS * users / 10_000  # ≤ 60 s for 10,000 users: 6 ms a user
    verdict = "meets" if figures.seconds <= goal else "MISSES"
    print(
        f"  embedded no-change round {figures.seconds:.1f} s: {verdict} the goal of ≤ {goal:.1f} s"
        f" ({EMBEDDED_GOAL_SECONDS:.0f} s for 10,000 users)"
    )
    goal = PROCESSES_GOAL_SECONDS * users / 10_000
    verdict = "meets" if by_processes <= goal else "MISSES"
    print(
        f"  embedded no-change round with {processes} processes {by_processes:.1f} s "
        f"({figures.seconds / by_processes:.2f}× the threads' speed): {verdict} the goal of "
        f"≤ {goal:.1f} s ({PROCESSES_GOAL_SECONDS:.0f} s for 10,000 users)"
    )
    return figures.seconds


def processes_round(
    studio: Studio, google: SandboxHandle, threads: Processor, processes: int, watched: Watched
) -> float:
    """The same no-change round with the users spread over worker processes
    (STUDIOSYNC_PROCESSOR_PROCESSES); the pool starts in a first, unmeasured round."""
    dispatcher = ProcessDispatcher(studio, threads.turn, processes, threads.concurrency)
    processor = Processor.from_settings(
        studio, load_syncer(), computer=COMPUTER, dispatcher=dispatcher
    )
    try:
        run_round(studio, google, processor, watched)  # starts the pool (imports, connections)
        pool = {
            f"worker{number + 1}": partial(tree_cpu_seconds, pid)
            for number, pid in enumerate(children(os.getpid()))
            if "studiosync.sandbox" not in Path(f"/proc/{pid}/cmdline").read_text(errors="replace")
        }
        figures = run_round(studio, google, processor, {**watched, **pool})
        report(
            f"no-change round, {processes} processes × {threads.concurrency} threads",
            figures,
            len_users(studio),
        )
        return figures.seconds
    finally:
        dispatcher.close()


def len_users(studio: Studio) -> int:
    with studio.transaction() as session:
        return int(session.scalar(select(func.count()).select_from(User)) or 0)


@contextmanager
def workers(settings: Settings, count: int, concurrency: int, logs: Path) -> Iterator[list[int]]:
    """``count`` `studiosync worker` processes, waited for until ready, stopped after."""
    env = {
        **os.environ,
        "STUDIOSYNC_DATA_DIR": str(settings.data_dir),
        "STUDIOSYNC_DATABASE_URL": settings.resolved_database_url,
        "STUDIOSYNC_BROKER_URL": settings.broker_url or "",
        "STUDIOSYNC_COMPUTER_NAME": COMPUTER,
        "STUDIOSYNC_SANDBOX_URL": settings.sandbox_url or "",
    }
    command = [sys.executable, "-m", "studiosync", "worker", "--concurrency", str(concurrency)]
    started: list[tuple[subprocess.Popen[bytes], Path]] = []
    try:
        for number in range(count):
            log = logs / f"worker-{count}-{number}.log"
            with log.open("w") as out:
                process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
            started.append((process, log))
        deadline = time.monotonic() + 120
        for process, log in started:
            while "ready." not in log.read_text():
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"worker did not start: {log.read_text()[-2000:]}")
                time.sleep(0.1)
        yield [process.pid for process, _ in started]
    finally:
        for process, _ in started:
            process.terminate()  # Celery's warm shutdown
        for process, _ in started:
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)


def scale_out(users: int, concurrency: int) -> dict[int, float]:
    from studiosync.testing.postgres import running_postgres
    from studiosync.testing.redis import running_redis

    print(f"scale-out: PostgreSQL + Redis, Celery workers ×{concurrency} threads, {users:,} users")
    results: dict[int, float] = {}
    with ExitStack() as stack:
        cluster = stack.enter_context(running_postgres())
        redis = stack.enter_context(running_redis())
        google = stack.enter_context(running_sandbox(in_process=False))
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        settings = Settings(
            data_dir=folder,
            database_url=cluster.url(),
            broker_url=redis.url(1),
            sandbox_url=google.base_url,
            computer_name=COMPUTER,
        )
        studio = init_studio(settings, name="Bench Studio")
        set_up(studio, google, users)
        processor = Processor.from_settings(studio, load_syncer(), computer=COMPUTER)
        postmaster = int((cluster.directory / "data" / "postmaster.pid").read_text().split()[0])
        redis_pid = int((redis.directory / "redis.pid").read_text().strip())
        base: Watched = {
            **sandbox_meter(),
            "processor": own_cpu_seconds,
            "postgres": partial(tree_cpu_seconds, postmaster),
            "redis": partial(tree_cpu_seconds, redis_pid),
        }
        for warm_up, count in ((True, 2), (False, 1), (False, 2)):
            with workers(settings, count, concurrency, folder) as pids:
                watched = dict(base)
                for number, pid in enumerate(pids):
                    watched[f"worker{number + 1}"] = partial(tree_cpu_seconds, pid)
                figures = run_round(studio, google, processor, watched)
            if warm_up:
                report(
                    f"warm-up round, {count} workers (first sync: full listings)", figures, users
                )
            else:
                report(f"no-change round, {count} worker(s)", figures, users)
                results[count] = figures.seconds
        studio.close()
    ratio = results[2] / results[1]
    verdict = "meets" if ratio <= SCALE_OUT_GOAL_RATIO else "MISSES"
    print(
        f"  scale-out no-change round: 1 worker {results[1]:.1f} s, 2 workers {results[2]:.1f} s, "
        f"ratio {ratio:.2f}: {verdict} the goal of ≤ {SCALE_OUT_GOAL_RATIO}"
    )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=10_000, help="users in the studio")
    parser.add_argument("--quick", action="store_true", help="1,000 users")
    parser.add_argument("--mode", choices=["embedded", "scaleout", "all"], default="all")
    parser.add_argument(
        "--processes", type=int, default=os.cpu_count() or 2, help="worker processes (embedded)"
    )
    parser.add_argument(
        "--worker-concurrency", type=int, default=4, help="threads per Celery worker"
    )
    args = parser.parse_args()
    users = 1_000 if args.quick else args.users
    print(f"bench/processor.py: {users:,} users, {os.cpu_count()} CPUs, {load()}")
    if args.mode in ("embedded", "all"):
        embedded(users, args.processes)
    if args.mode in ("scaleout", "all"):
        scale_out(users, args.worker_concurrency)


if __name__ == "__main__":
    main()
