"""A sync started by hand ('studiosync sync USER') holds the same per-user lock as a round."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from studiosync.context import Studio
from studiosync.control import locks
from studiosync.control.clock import Clock, SystemClock
from studiosync.control.computers import computer_name
from studiosync.control.config import ControlSettings
from studiosync.control.words import holder_words
from studiosync.errors import ErrorCode, SyncError
from studiosync.studio.company import get_company


@contextmanager
def holding_user(
    studio: Studio, user_id: int, login: str, *, clock: Clock | None = None
) -> Iterator[None]:
    """Hold the user's lock (with its heartbeat) while the block runs.

    When a round, a worker or another manual sync holds the user, nothing runs: a SyncError
    (control.user_busy) names who holds them and since when.
    """
    clock = clock or SystemClock()
    stale_after = ControlSettings().lock_stale_after
    name = locks.user_lock_name(user_id)
    owner = locks.new_owner(computer_name(studio.settings))
    now = clock.now()
    with studio.transaction() as session:
        taken = locks.take(
            session, name, owner, ttl=locks.USER_LOCK_TTL, now=now, stale_after=stale_after
        )
        if not taken:
            holder = locks.holder_in(session, name, now=now, stale_after=stale_after)
            zone = get_company(session).time_zone
    if not taken:
        raise SyncError(
            ErrorCode.CONTROL_USER_BUSY,
            user=login,
            owner=holder_words(holder, zone, now) if holder.owner else "another sync",
        )
    try:
        with locks.kept_alive(
            studio, name, owner, ttl=locks.USER_LOCK_TTL, clock=clock, stale_after=stale_after
        ):
            yield
    finally:
        locks.release(studio, name, owner)
