"""One round at a time across processors, and one sync at a time per user, through DB leases."""

from __future__ import annotations

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor

from control_world import ScriptedSyncer, add_user, make_processor, ready_job
from sqlalchemy import func, select

from studiosync.context import Studio
from studiosync.control import locks
from studiosync.control.clock import FakeClock
from studiosync.control.models import Run, UserRun
from studiosync.control.processor import Processor, RoundOutcome
from studiosync.errors import ErrorCode


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


def test_a_user_locked_elsewhere_is_skipped_until_the_lock_is_free(
    studio: Studio, clock: FakeClock
) -> None:
    with studio.transaction() as session:
        busy = add_user(session, "busy")
        free = add_user(session, "free")
        ready_job(session)
    assert locks.try_acquire(
        studio, locks.user_lock_name(busy), "worker-9", ttl=locks.USER_LOCK_TTL, clock=clock
    )
    syncer = ScriptedSyncer()
    processor = make_processor(studio, syncer, clock)

    first = processor.tick()

    assert first is not None
    assert dict(syncer.calls) == {free: 1}
    with studio.transaction() as session:
        row = session.scalars(
            select(UserRun).where(UserRun.run_id == first.run_id, UserRun.user_id == busy)
        ).one()
        assert (row.status, row.reason) == ("skipped", ErrorCode.CONTROL_USER_BUSY.value)

    clock.advance(seconds=locks.USER_LOCK_TTL.total_seconds() + 1)  # the holder died
    assert processor.tick() is not None
    assert syncer.calls[busy] == 1
    assert locks.holder(studio, locks.user_lock_name(busy), clock=clock).owner is None


def test_a_round_already_running_elsewhere_is_left_alone(studio: Studio, clock: FakeClock) -> None:
    with studio.transaction() as session:
        add_user(session, "someone")
        ready_job(session)
    lease = locks.round_lease_name("google-sync")
    assert locks.try_acquire(studio, lease, "elsewhere", ttl=locks.ROUND_LEASE_TTL, clock=clock)
    syncer = ScriptedSyncer()
    assert make_processor(studio, syncer, clock).tick() is None
    assert not syncer.calls
