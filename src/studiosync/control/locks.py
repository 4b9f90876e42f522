"""Named leases in the database: taken by one atomic conditional UPDATE, so they hold across
threads, processors on several computers and Celery workers alike.

A lease names its holder (computer, process id, since when). Leases held while working (a
round's, a user's) also carry a heartbeat refreshed while held: one whose heartbeat is older
than the stale threshold belongs to a holder that died, and is taken over."""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import cast

from sqlalchemy import Table, bindparam, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from studiosync.clock import Clock
from studiosync.context import Studio
from studiosync.control.models import Lock

ROUND_LEASE_TTL = dt.timedelta(minutes=10)
USER_LOCK_TTL = dt.timedelta(hours=1)
STALE_AFTER = dt.timedelta(seconds=90)  # heartbeats every 30 s: a dead holder is out in 1.5 min

log = logging.getLogger(__name__)


def round_lease_name(job_key: str) -> str:
    return f"job:{job_key}"


def user_lock_name(user_id: int) -> str:
    return f"user:{user_id}"


def new_owner(computer: str) -> str:
    """A name for one holder: the computer, the process and a random part."""
    return f"{computer}/{os.getpid()}/{uuid.uuid4().hex[:8]}"


def default_computer_name() -> str:
    return socket.gethostname() or "localhost"


def _ensure_row(session: Session, name: str) -> None:
    """Make the lock's row if it is missing; two makers at once are fine (nothing happens)."""
    dialect = session.get_bind().dialect.name
    values = {
        "name": name,
        "owner": None,
        "expires_at": None,
        "acquired_at": None,
        "heartbeat_at": None,
    }
    if dialect == "postgresql":
        session.execute(postgresql.insert(Lock).values(values).on_conflict_do_nothing())
    elif dialect == "sqlite":
        session.execute(sqlite.insert(Lock).values(values).on_conflict_do_nothing())
    elif session.get(Lock, name) is None:
        session.add(Lock(**values))
        session.flush()


# Plain table statements: these run a few times per user per round.
_LOCKS = cast(Table, Lock.__table__)
_TAKE = (
    update(_LOCKS)
    .where(
        _LOCKS.c.name == bindparam("lock"),
        or_(
            _LOCKS.c.owner.is_(None),
            _LOCKS.c.owner == bindparam("holder"),
            _LOCKS.c.expires_at <= bindparam("now"),
            _LOCKS.c.heartbeat_at <= bindparam("stale_before"),
        ),
    )
    .values(
        owner=bindparam("new_owner"),
        expires_at=bindparam("until"),
        acquired_at=bindparam("at"),
        heartbeat_at=bindparam("beat"),
    )
)
_TAKE_MANY = (
    update(_LOCKS)
    .where(
        _LOCKS.c.name.in_(bindparam("locks", expanding=True)),
        or_(
            _LOCKS.c.owner.is_(None),
            _LOCKS.c.owner == bindparam("holder"),
            _LOCKS.c.expires_at <= bindparam("now"),
            _LOCKS.c.heartbeat_at <= bindparam("stale_before"),
        ),
    )
    .values(
        owner=bindparam("new_owner"),
        expires_at=bindparam("until"),
        acquired_at=bindparam("at"),
        heartbeat_at=bindparam("beat"),
    )
    .returning(_LOCKS.c.name)
)
_GIVE_BACK = (
    update(_LOCKS)
    .where(_LOCKS.c.name == bindparam("lock"), _LOCKS.c.owner == bindparam("holder"))
    .values(owner=None, expires_at=None, heartbeat_at=None)
)


def _take(
    session: Session,
    name: str,
    owner: str,
    now: dt.datetime,
    ttl: dt.timedelta,
    stale_after: dt.timedelta | None,
) -> bool:
    taken = session.execute(
        _TAKE,
        {
            "lock": name,
            "holder": owner,
            "now": now,
            "stale_before": now - (stale_after or STALE_AFTER),
            "new_owner": owner,
            "until": now + ttl,
            "at": now,
            "beat": now if stale_after else None,
        },
    )
    return bool(taken.rowcount == 1)  # type: ignore[attr-defined]


def take(
    session: Session,
    name: str,
    owner: str,
    *,
    ttl: dt.timedelta,
    now: dt.datetime,
    stale_after: dt.timedelta | None = None,
) -> bool:
    """Inside the caller's transaction: take the lease if it is free, expired, stale or ours.

    With ``stale_after`` the lease carries a heartbeat (to be refreshed with ``kept_alive``);
    any lease whose heartbeat is older than the threshold is stale: its holder died.
    The conditional UPDATE, and only when it found nothing (the lease's row may not exist
    yet) the row is made and the UPDATE tried once more.
    """
    if _take(session, name, owner, now, ttl, stale_after):
        return True
    _ensure_row(session, name)
    if _take(session, name, owner, now, ttl, stale_after):
        return True
    dead = _holder_gone_from_here(session, name, owner)
    return dead is not None and _take_from(session, name, dead, owner, now, ttl, stale_after)


def take_many(
    session: Session,
    names: Sequence[str],
    owner: str,
    *,
    ttl: dt.timedelta,
    now: dt.datetime,
    stale_after: dt.timedelta | None = None,
) -> set[str]:
    """``take`` for several leases, for one owner: the names taken. One UPDATE takes those
    that are free; only the others are tried one by one (a missing row, a dead holder)."""
    if not names:
        return set()
    params = {
        "locks": list(names),
        "holder": owner,
        "now": now,
        "stale_before": now - (stale_after or STALE_AFTER),
        "new_owner": owner,
        "until": now + ttl,
        "at": now,
        "beat": now if stale_after else None,
    }
    taken = set(session.scalars(_TAKE_MANY, params))
    for name in names:
        if name not in taken and take(
            session, name, owner, ttl=ttl, now=now, stale_after=stale_after
        ):
            taken.add(name)
    return taken


def _process_runs(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _holder_gone_from_here(session: Session, name: str, owner: str) -> str | None:
    """The holder of the lease when it is a process of this very computer that no longer runs
    (killed, or the computer restarted): no need to wait for its heartbeat to go stale."""
    held = session.execute(select(_LOCKS.c.owner).where(_LOCKS.c.name == name)).scalar()
    if not held or held == owner:
        return None
    theirs, ours = Holder(held, None), Holder(owner, None)
    if theirs.process is None or theirs.computer != ours.computer:
        return None
    return None if _process_runs(theirs.process) else str(held)


def _take_from(
    session: Session,
    name: str,
    dead: str,
    owner: str,
    now: dt.datetime,
    ttl: dt.timedelta,
    stale_after: dt.timedelta | None,
) -> bool:
    taken = session.execute(
        update(_LOCKS)
        .where(_LOCKS.c.name == name, _LOCKS.c.owner == dead)
        .values(
            owner=owner,
            expires_at=now + ttl,
            acquired_at=now,
            heartbeat_at=now if stale_after else None,
        )
    )
    return bool(taken.rowcount == 1)  # type: ignore[attr-defined]


def try_acquire(
    studio: Studio,
    name: str,
    owner: str,
    *,
    ttl: dt.timedelta,
    clock: Clock,
    stale_after: dt.timedelta | None = None,
) -> bool:
    """Take the lease if it is free, expired, stale or already ours; True when we hold it now."""
    with studio.transaction() as session:
        return take(session, name, owner, ttl=ttl, now=clock.now(), stale_after=stale_after)


def renew(studio: Studio, name: str, owner: str, *, ttl: dt.timedelta, clock: Clock) -> bool:
    """The heartbeat: push the expiry on while we still hold the lease; False when it was lost
    meanwhile."""
    now = clock.now()
    with studio.transaction() as session:
        kept = session.execute(
            update(Lock)
            .where(Lock.name == name, Lock.owner == owner)
            .values(expires_at=now + ttl, heartbeat_at=now)
            .execution_options(synchronize_session=False)
        )
        return bool(kept.rowcount == 1)  # type: ignore[attr-defined]


def give_back(session: Session, name: str, owner: str) -> None:
    """Inside the caller's transaction: give the lease back (only if we still hold it)."""
    session.execute(_GIVE_BACK, {"lock": name, "holder": owner})


def give_back_all(session: Session, held: Sequence[tuple[str, str]]) -> None:
    """``give_back`` for several (name, owner) leases, sent as one statement."""
    if held:
        session.execute(_GIVE_BACK, [{"lock": name, "holder": owner} for name, owner in held])


def release(studio: Studio, name: str, owner: str) -> None:
    """Give the lease back (only if we still hold it)."""
    with studio.transaction() as session:
        give_back(session, name, owner)


@dataclass(frozen=True)
class Holder:
    """Who holds a lease: the owner, until when, since when, and when last heard from."""

    owner: str | None
    expires_at: dt.datetime | None
    since: dt.datetime | None = None
    heard_at: dt.datetime | None = None

    @property
    def computer(self) -> str | None:
        """The holder's computer (a worker's reads "computer/worker")."""
        if self.owner is None:
            return None
        parts = self.owner.rsplit("/", 2)
        return parts[0] if len(parts) == 3 else self.owner

    @property
    def process(self) -> int | None:
        parts = (self.owner or "").rsplit("/", 2)
        return int(parts[1]) if len(parts) == 3 and parts[1].isdigit() else None

    def describe(self) -> str:
        """The holder in a few words: "front-desk (process 4242)"."""
        if self.owner is None:
            return "nobody"
        return f"{self.computer} (process {self.process})" if self.process else f"{self.computer}"


def holder(
    studio: Studio, name: str, *, clock: Clock, stale_after: dt.timedelta | None = None
) -> Holder:
    """Who holds the lease now (owner None when it is free, expired or stale)."""
    with studio.transaction() as session:
        return holder_in(session, name, now=clock.now(), stale_after=stale_after)


def holder_in(
    session: Session, name: str, *, now: dt.datetime, stale_after: dt.timedelta | None = None
) -> Holder:
    """Inside the caller's transaction: who holds the lease (owner None when free, expired or
    stale)."""
    row = session.scalar(select(Lock).where(Lock.name == name))
    if row is None or row.owner is None or row.expires_at is None:
        return Holder(None, None)
    if row.expires_at <= now:
        return Holder(None, None)
    if row.heartbeat_at is not None and row.heartbeat_at <= now - (stale_after or STALE_AFTER):
        return Holder(None, None)
    return Holder(row.owner, row.expires_at, row.acquired_at, row.heartbeat_at)


@dataclass(eq=False)
class _Kept:
    """A lease held inside a kept_alive block, how often and when it is next renewed
    (monotonic time)."""

    studio: Studio
    name: str
    owner: str
    ttl: dt.timedelta
    clock: Clock
    every: float
    due: float


class _LeaseKeeper:
    """One thread renewing every lease held with kept_alive in this process, each one every
    third of its lifetime (or of its stale threshold): a round of thousands of users starts no
    thread per user."""

    def __init__(self) -> None:
        self._kept: set[_Kept] = set()
        self._changed = threading.Condition()
        self._wakes_at = float("inf")
        self._thread: threading.Thread | None = None

    def add(self, kept: _Kept) -> None:
        with self._changed:
            self._kept.add(kept)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="lease-keeper", daemon=True)
                self._thread.start()
            if kept.due < self._wakes_at:
                self._changed.notify()

    def remove(self, kept: _Kept) -> None:
        with self._changed:
            self._kept.discard(kept)

    def _run(self) -> None:
        while True:
            with self._changed:
                now = time.monotonic()
                due = [kept for kept in self._kept if kept.due <= now]
                if not due:
                    self._wakes_at = min((kept.due for kept in self._kept), default=now + 60.0)
                    self._changed.wait(self._wakes_at - now)
                    self._wakes_at = float("inf")
                    continue
            for kept in due:
                kept.due = time.monotonic() + kept.every
                self._renew(kept)

    def _renew(self, kept: _Kept) -> None:
        try:
            held = renew(kept.studio, kept.name, kept.owner, ttl=kept.ttl, clock=kept.clock)
        except Exception:
            log.exception("renewing lease %s failed", kept.name)
            return
        if not held:
            with self._changed:
                still_kept = kept in self._kept
            if still_kept:  # not merely released while we renewed it
                log.warning("lease %s was lost while held by %s", kept.name, kept.owner)


_keeper = _LeaseKeeper()


@contextmanager
def kept_alive(
    studio: Studio,
    name: str,
    owner: str,
    *,
    ttl: dt.timedelta,
    clock: Clock,
    stale_after: dt.timedelta | None = None,
) -> Iterator[None]:
    """While the block runs, renew the held lease (its heartbeat) every third of its lifetime,
    or of its stale threshold when that is shorter."""
    every = min(ttl, stale_after or ttl).total_seconds() / 3
    kept = _Kept(studio, name, owner, ttl, clock, every, time.monotonic() + every)
    _keeper.add(kept)
    try:
        yield
    finally:
        _keeper.remove(kept)
