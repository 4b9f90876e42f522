"""One round at a time across processors, and one sync at a time per user, through DB leases."""

from __future__ import annotations

import datetime as dt
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from control_world import ScriptedSyncer, add_user, make_processor, ready_job
from sqlalchemy import func, select

from studiosync.clock import FakeClock, SystemClock
from studiosync.context import Studio
from studiosync.control import locks
from studiosync.control.models import LogLine, Run, UserRun
from studiosync.control.processor import Processor, RoundOutcome
from studiosync.doctor.catalogue import explain_code
from studiosync.errors import ErrorCode

SYSTEM = SystemClock()


def test_a_lease_is_held_by_one_owner_until_released_or_expired(
    studio: Studio, clock: FakeClock
) -> None:
    ttl = dt.timedelta(minutes=1)
    assert locks.try_acquire(studio, "job:test", "a", ttl=ttl, clock=clock)
    assert not locks.try_acquire(studio, "job:test", "b", ttl=ttl, clock=clock)
    assert locks.try_acquire(studio, "job:test", "a", ttl=ttl, clock=clock)  # re-entrant
    assert locks.holder(studio, "job:test", clock=clock).owner == "a"

    clock.advance(seconds=59)
    assert locks.renew(studio, "job:test", "a", ttl=ttl, clock=clock)
    clock.advance(seconds=59)
    assert not locks.try_acquire(studio, "job:test", "b", ttl=ttl, clock=clock)  # renewed
    clock.advance(seconds=2)
    assert locks.try_acquire(studio, "job:test", "b", ttl=ttl, clock=clock)  # expired: taken
    assert not locks.renew(studio, "job:test", "a", ttl=ttl, clock=clock)

    locks.release(studio, "job:test", "a")  # not the holder: changes nothing
    assert locks.holder(studio, "job:test", clock=clock).owner == "b"
    locks.release(studio, "job:test", "b")
    assert locks.holder(studio, "job:test", clock=clock).owner is None


def test_many_contenders_at_once_one_wins(studio: Studio, clock: FakeClock) -> None:
    start = threading.Barrier(8)

    def contend(number: int) -> bool:
        start.wait()
        return locks.try_acquire(
            studio, "job:race", f"owner-{number}", ttl=dt.timedelta(minutes=1), clock=clock
        )

    with ThreadPoolExecutor(8) as pool:
        won = list(pool.map(contend, range(8)))
    assert won.count(True) == 1


def test_two_processors_started_at_once_run_one_round_and_sync_each_user_once(
    studio: Studio, clock: FakeClock
) -> None:
    with studio.transaction() as session:
        users = [add_user(session, f"user{number}") for number in range(5)]
        ready_job(session, computer="any")
    syncer = ScriptedSyncer(delay=0.2)
    processors = [
        make_processor(studio, syncer, clock, computer=name, concurrency=3)
        for name in ("front-desk", "back-office")
    ]
    start = threading.Barrier(2)

    def tick(processor: Processor) -> RoundOutcome | None:
        start.wait()
        return processor.tick()

    with ThreadPoolExecutor(2) as pool:
        outcomes = list(pool.map(tick, processors))

    assert len([outcome for outcome in outcomes if outcome is not None]) == 1
    assert {user: syncer.calls[user] for user in users} == dict.fromkeys(users, 1)
    assert syncer.most_at_once_per_user == 1
    with studio.transaction() as session:
        assert session.scalar(select(func.count()).select_from(Run)) == 1


DEAD = "desk-9/4242/0d0d0d0d"  # a processor that was killed: it took locks, then went silent


def _held_by_dead_processor(studio: Studio, clock: FakeClock, name: str, ttl: dt.timedelta) -> None:
    assert locks.try_acquire(
        studio, name, DEAD, ttl=ttl, clock=clock, stale_after=locks.STALE_AFTER
    )


def test_a_user_locked_elsewhere_is_skipped_with_a_warning_until_its_holder_goes_silent(
    studio: Studio, clock: FakeClock
) -> None:
    with studio.transaction() as session:
        busy = add_user(session, "busy")
        free = add_user(session, "free")
        ready_job(session)
    _held_by_dead_processor(studio, clock, locks.user_lock_name(busy), locks.USER_LOCK_TTL)
    syncer = ScriptedSyncer()
    processor = make_processor(studio, syncer, clock)

    clock.advance(seconds=60)  # heard from a minute ago: maybe alive, left alone
    first = processor.tick()

    assert first is not None
    assert dict(syncer.calls) == {free: 1}
    assert first.status == "warning"  # the round says someone was left out
    with studio.transaction() as session:
        row = session.scalars(
            select(UserRun).where(UserRun.run_id == first.run_id, UserRun.user_id == busy)
        ).one()
        assert (row.status, row.reason) == ("skipped", ErrorCode.CONTROL_USER_BUSY.value)
        (line,) = session.scalars(select(LogLine).where(LogLine.user_run_id == row.id)).all()
        assert line.level == "warning"
        words = explain_code(ErrorCode.CONTROL_USER_BUSY, **line.params).cause
        assert "desk-9 (process 4242), since Tue 1 Dec 2026 at 09:00" in words

    clock.advance(seconds=31)  # 91 s without a heartbeat: its holder died; taken over
    with studio.transaction() as session:
        ready_job(session, due=clock.now())
    assert processor.tick() is not None
    assert syncer.calls[busy] == 1
    assert locks.holder(studio, locks.user_lock_name(busy), clock=clock).owner is None


def test_a_round_elsewhere_is_left_alone_while_heard_from_and_taken_over_once_silent(
    studio: Studio, clock: FakeClock
) -> None:
    with studio.transaction() as session:
        someone = add_user(session, "someone")
        ready_job(session)
    lease = locks.round_lease_name("google-sync")
    _held_by_dead_processor(studio, clock, lease, locks.ROUND_LEASE_TTL)
    syncer = ScriptedSyncer()
    processor = make_processor(studio, syncer, clock)

    clock.advance(seconds=89)
    assert processor.tick() is None
    assert processor.round_holder().describe() == "desk-9 (process 4242)"
    assert not syncer.calls

    clock.advance(seconds=2)  # silent for longer than the threshold: a due round runs
    outcome = processor.tick()
    assert outcome is not None and outcome.status == "ok"
    assert dict(syncer.calls) == {someone: 1}
    assert processor.round_holder().owner is None


def test_a_held_lock_keeps_its_heartbeat_while_held(studio: Studio, clock: FakeClock) -> None:
    """A long sync is never taken over: the heartbeat outlives the stale threshold."""
    stale = dt.timedelta(seconds=0.45)
    held = {"ttl": locks.USER_LOCK_TTL, "clock": SYSTEM, "stale_after": stale}
    assert locks.try_acquire(studio, "user:1", "desk-1/1/live", **held)  # type: ignore[arg-type]
    with locks.kept_alive(studio, "user:1", "desk-1/1/live", **held):  # type: ignore[arg-type]
        time.sleep(1.0)  # twice the threshold: only heartbeats keep it
        assert not locks.try_acquire(studio, "user:1", "other", **held)  # type: ignore[arg-type]
    time.sleep(0.6)  # no heartbeat after the block: silent, so taken over
    assert locks.try_acquire(studio, "user:1", "other", **held)  # type: ignore[arg-type]


def test_a_lock_left_by_a_process_of_this_computer_that_is_gone_is_taken_at_once(
    studio: Studio, clock: FakeClock
) -> None:
    import subprocess
    import sys

    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], check=True,
                          capture_output=True, text=True)  # fmt: skip
    dead_owner = f"desk-1/{int(gone.stdout)}/0a1b2c3d"
    ttl, stale = dt.timedelta(hours=1), dt.timedelta(minutes=2)
    assert locks.try_acquire(studio, "user:1", dead_owner, ttl=ttl, clock=clock, stale_after=stale)
    # Another computer cannot tell whether that process still runs: it waits for the heartbeat.
    elsewhere = "desk-2/1/ffffffff"
    assert not locks.try_acquire(
        studio, "user:1", elsewhere, ttl=ttl, clock=clock, stale_after=stale
    )
    # The same computer can: the process is gone, so its lock is taken without waiting.
    here = locks.new_owner("desk-1")
    assert locks.try_acquire(studio, "user:1", here, ttl=ttl, clock=clock, stale_after=stale)
    assert locks.holder(studio, "user:1", clock=clock).owner == here
    # A live process of this computer keeps its lock.
    assert not locks.try_acquire(
        studio, "user:1", "desk-1/1/eeeeeeee", ttl=ttl, clock=clock, stale_after=stale
    )
