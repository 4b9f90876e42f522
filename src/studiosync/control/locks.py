"""Named leases in the database: taken by one atomic conditional UPDATE, so they hold across
threads, processors on several computers and Celery workers alike."""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from studiosync.context import Studio
from studiosync.control.clock import Clock
from studiosync.control.models import Lock

ROUND_LEASE_TTL = dt.timedelta(minutes=10)
USER_LOCK_TTL = dt.timedelta(hours=1)

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
    values = {"name": name, "owner": None, "expires_at": None, "acquired_at": None}
    if dialect == "postgresql":
        session.execute(postgresql.insert(Lock).values(values).on_conflict_do_nothing())
    elif dialect == "sqlite":
        session.execute(sqlite.insert(Lock).values(values).on_conflict_do_nothing())
    elif session.get(Lock, name) is None:
        session.add(Lock(**values))
        session.flush()


def try_acquire(studio: Studio, name: str, owner: str, *, ttl: dt.timedelta, clock: Clock) -> bool:
    """Take the lease if it is free, expired, or already ours; True when we hold it now."""
    with studio.transaction() as session:
        _ensure_row(session, name)
    now = clock.now()
    with studio.transaction() as session:
        taken = session.execute(
            update(Lock)
            .where(
                Lock.name == name,
                or_(Lock.owner.is_(None), Lock.owner == owner, Lock.expires_at <= now),
            )
            .values(owner=owner, expires_at=now + ttl, acquired_at=now)
            .execution_options(synchronize_session=False)
        )
        return bool(taken.rowcount == 1)  # type: ignore[attr-defined]


def renew(studio: Studio, name: str, owner: str, *, ttl: dt.timedelta, clock: Clock) -> bool:
    """Push the expiry on while we still hold the lease; False when it was lost meanwhile."""
    with studio.transaction() as session:
        kept = session.execute(
            update(Lock)
            .where(Lock.name == name, Lock.owner == owner)
            .values(expires_at=clock.now() + ttl)
            .execution_options(synchronize_session=False)
        )
        return bool(kept.rowcount == 1)  # type: ignore[attr-defined]


def release(studio: Studio, name: str, owner: str) -> None:
    """Give the lease back (only if we still hold it)."""
    with studio.transaction() as session:
        session.execute(
            update(Lock)
            .where(Lock.name == name, Lock.owner == owner)
            .values(owner=None, expires_at=None)
            .execution_options(synchronize_session=False)
        )


@dataclass(frozen=True)
class Holder:
    owner: str | None
    expires_at: dt.datetime | None


def holder(studio: Studio, name: str, *, clock: Clock) -> Holder:
    """Who holds the lease now (owner None when it is free or expired)."""
    with studio.transaction() as session:
        row = session.scalar(select(Lock).where(Lock.name == name))
        if row is None or row.owner is None or row.expires_at is None:
            return Holder(None, None)
        if row.expires_at <= clock.now():
            return Holder(None, None)
        return Holder(row.owner, row.expires_at)


@contextmanager
def kept_alive(
    studio: Studio, name: str, owner: str, *, ttl: dt.timedelta, clock: Clock
) -> Iterator[None]:
    """While the block runs, renew the held lease every third of its lifetime."""
    done = threading.Event()

    def renew_until_done() -> None:
        while not done.wait(ttl.total_seconds() / 3):
            try:
                if not renew(studio, name, owner, ttl=ttl, clock=clock):
                    log.warning("lease %s was lost while held by %s", name, owner)
            except Exception:
                log.exception("renewing lease %s failed", name)

    keeper = threading.Thread(target=renew_until_done, name=f"lease-{name}", daemon=True)
    keeper.start()
    try:
        yield
    finally:
        done.set()
        keeper.join()
