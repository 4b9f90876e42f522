"""Leases held with kept_alive are renewed by one keeper thread, and only while they are held."""

from __future__ import annotations

import datetime as dt
import threading
import time
from contextlib import ExitStack

from studiosync.clock import SystemClock
from studiosync.context import Studio
from studiosync.control import locks

CLOCK = SystemClock()
TTL = dt.timedelta(seconds=1.5)  # renewed every 0.5 s


def _free_for_someone_else(studio: Studio, name: str) -> bool:
    return locks.try_acquire(studio, name, "someone-else", ttl=TTL, clock=CLOCK)


def test_a_kept_lease_outlives_its_lifetime_and_lapses_once_let_go(studio: Studio) -> None:
    assert locks.try_acquire(studio, "user:1", "worker-a", ttl=TTL, clock=CLOCK)
    with locks.kept_alive(studio, "user:1", "worker-a", ttl=TTL, clock=CLOCK):
        time.sleep(2 * TTL.total_seconds())  # twice its lifetime: only renewals keep it
        assert not _free_for_someone_else(studio, "user:1")
        assert locks.holder(studio, "user:1", clock=CLOCK).owner == "worker-a"
    time.sleep(TTL.total_seconds() + 0.5)  # no renewal after the block: it expires
    assert _free_for_someone_else(studio, "user:1")


def test_many_kept_leases_share_one_keeper_thread(studio: Studio) -> None:
    names = [f"user:{n}" for n in range(2, 22)]
    with ExitStack() as held:
        for name in names:
            assert locks.try_acquire(studio, name, "worker-a", ttl=TTL, clock=CLOCK)
            held.enter_context(locks.kept_alive(studio, name, "worker-a", ttl=TTL, clock=CLOCK))
        keepers = [t for t in threading.enumerate() if t.name.startswith("lease-")]
        assert len(keepers) == 1
        time.sleep(2 * TTL.total_seconds())
        assert not any(_free_for_someone_else(studio, name) for name in names)
