"""Benchmark: changes_since for 10 changes in a studio of 1,000 and of 100,000 appointments.

Prints the median time per call for each size and their ratio (goal: ratio ≤ 1.5, i.e. the cost
follows the number of changes, not the size of the studio). `--postgres` also runs it on a
throw-away PostgreSQL cluster.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import insert, text, update

from studiosync.context import Studio, init_studio
from studiosync.settings import Settings
from studiosync.studio import appointments as service
from studiosync.studio.appointments import Assign
from studiosync.studio.feed import changes_since, latest_seq
from studiosync.studio.models import (
    Appointment,
    AppointmentChange,
    Assignment,
    ChangeKind,
    FeedCounter,
    User,
)

USERS = 20
START = dt.datetime(2026, 1, 1, 9, 0, tzinfo=dt.UTC)


def fill(studio: Studio, size: int) -> None:
    """Bulk-load ``size`` appointments spread over the users, each with its feed entry."""
    with studio.transaction() as session:
        session.execute(
            insert(User),
            [
                {
                    "login": f"user{n}",
                    "display_name": f"User {n}",
                    "role": "photographer",
                    "active": True,
                    "created_at": START,
                }
                for n in range(USERS)
            ],
        )
        for first in range(0, size, 10_000):
            chunk = range(first + 1, min(first + 10_000, size) + 1)
            at = [START + dt.timedelta(hours=n) for n in chunk]
            session.execute(
                insert(Appointment),
                [
                    {
                        "id": n,
                        "title": "Session",
                        "type": "Portrait",
                        "all_day": False,
                        "start_at": when,
                        "end_at": when + dt.timedelta(hours=1),
                        "time_zone": "UTC",
                        "status": "confirmed",
                        "origin": "studio",
                        "created_at": when,
                        "updated_at": when,
                        "version": 1,
                    }
                    for n, when in zip(chunk, at, strict=True)
                ],
            )
            session.execute(
                insert(Assignment),
                [
                    {"appointment_id": n, "user_id": n % USERS + 1, "role": "photographer"}
                    for n in chunk
                ],
            )
            session.execute(
                insert(AppointmentChange),
                [
                    {
                        "seq": n,
                        "appointment_id": n,
                        "user_id": n % USERS + 1,
                        "kind": ChangeKind.INSERT,
                        "changed_at": START,
                    }
                    for n in chunk
                ],
            )
        session.execute(update(FeedCounter).values(value=size))
        if session.get_bind().dialect.name == "postgresql":  # ids were given: move the sequences
            for table in ("users", "appointments", "appointment_users"):
                session.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                        f"(SELECT max(id) FROM {table}))"
                    )
                )


def measure(studio: Studio, repeats: int = 300) -> float:
    """Make 10 real changes for user1, then time reading them back from before they happened."""
    with studio.transaction() as session:
        cursor = latest_seq(session)
        for n in range(10):
            service.create_appointment(
                session,
                title=f"New {n}",
                start=START,
                end=START + dt.timedelta(hours=1),
                users=[Assign("user1")],
            )
        user = session.query(User.id).filter(User.login == "user1").scalar()
        assert user is not None
    timings = []
    with studio.transaction() as session:
        for _ in range(repeats):
            began = time.perf_counter()
            found = changes_since(session, cursor, user=user)
            timings.append(time.perf_counter() - began)
            assert len(found) == 10
    return statistics.median(timings)


@contextmanager
def sqlite_studio(size: int) -> Iterator[Studio]:
    with tempfile.TemporaryDirectory() as folder:
        studio = init_studio(Settings(data_dir=Path(folder)), name="Bench")
        fill(studio, size)
        yield studio
        studio.close()


@contextmanager
def postgres_studio(size: int) -> Iterator[Studio]:
    from studiosync.testing.postgres import running_postgres

    with running_postgres() as cluster, tempfile.TemporaryDirectory() as folder:
        studio = init_studio(Settings(data_dir=Path(folder), database_url=cluster.url()))
        fill(studio, size)
        with studio.engine.connect() as connection:
            connection.exec_driver_sql("ANALYZE")
            connection.commit()
        yield studio
        studio.close()


def run(label: str, opener: object) -> float:
    results = {}
    for size in (1_000, 100_000):
        with opener(size) as studio:  # type: ignore[operator]
            results[size] = measure(studio)
        print(
            f"{label:10} {size:>7,} appointments: changes_since(10 changes) "
            f"median {results[size] * 1e6:8.1f} µs"
        )
    ratio = results[100_000] / results[1_000]
    verdict = "meets" if ratio <= 1.5 else "MISSES"
    print(f"{label:10} ratio 100,000 / 1,000 = {ratio:.2f} ({verdict} the goal of ≤ 1.5)")
    return ratio


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", action="store_true", help="also run on PostgreSQL")
    args = parser.parse_args()
    run("sqlite", sqlite_studio)
    if args.postgres:
        run("postgresql", postgres_studio)


if __name__ == "__main__":
    main()
