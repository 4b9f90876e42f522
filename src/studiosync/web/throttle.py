"""Failed logins slow down: per client address, and more gently per login, counted in the database.

After ``FREE_FAILURES`` failures in a row, each further failure doubles the wait before the
next try: from one address 15 seconds up to an hour; for one login (from anywhere) 1 second up
to a minute, so someone guessing from one place cannot keep the real owner out from another.
Attempts made while waiting are refused without checking the password and are not counted.
A successful login clears its login's and its address's counts; counts are forgotten after a
day without failures. Each failure is a warning in the web server's log, worded for the owner.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import bindparam, case, delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, sessionmaker

from studiosync.clock import Clock
from studiosync.errors import AccessError, ErrorCode
from studiosync.studio.logins import LoginFailures
from studiosync.studio.models import UTCDateTime

log = logging.getLogger("studiosync.web.logins")
FREE_FAILURES = 5
FORGET_AFTER = dt.timedelta(days=1)


@dataclass(frozen=True)
class Rule:
    """How one kind of counter slows down: first wait, doubled per failure, up to a cap."""

    prefix: str
    first_wait: dt.timedelta
    max_wait: dt.timedelta

    def key(self, value: str) -> str:
        return f"{self.prefix}:{value}"[:200]

    def wait_after(self, failures: int) -> dt.timedelta | None:
        if failures < FREE_FAILURES:
            return None
        doublings = min(failures - FREE_FAILURES, 20)
        wait: dt.timedelta = min(self.first_wait * (1 << doublings), self.max_wait)
        return wait


BY_ADDRESS = Rule("address", dt.timedelta(seconds=15), dt.timedelta(hours=1))
BY_LOGIN = Rule("login", dt.timedelta(seconds=1), dt.timedelta(minutes=1))


class LoginThrottledError(AccessError):
    """Logins are paused for this address or login; params: ``wait`` (words), ``retry_after``."""

    default_code = ErrorCode.LOGIN_THROTTLED


def wait_words(seconds: int) -> str:
    """'15 seconds', '2 minutes', '1 hour' (rounded up: never sooner than true)."""
    if seconds < 60:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    if seconds < 3600:
        minutes = math.ceil(seconds / 60)
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    hours = math.ceil(seconds / 3600)
    return f"{hours} hour{'s' if hours != 1 else ''}"


def _failures(count: int) -> str:
    return f"{count} failure{'s' if count != 1 else ''}"


def _login_name(login: str) -> str:
    return login.strip().lower()[:64]


@cache
def _count_failure(dialect: str) -> Any:
    """One statement that makes or bumps a counter (restarting a forgotten one) and returns it."""
    table = LoginFailures.__table__
    insert = (postgresql if dialect == "postgresql" else sqlite).insert(table)
    column = table.c
    return insert.on_conflict_do_update(
        index_elements=[column.key],
        set_={
            "failures": case(
                (column.last_failure_at < bindparam("forget_before", type_=UTCDateTime()), 1),
                else_=column.failures + 1,
            ),
            "last_failure_at": insert.excluded.last_failure_at,
        },
    ).returning(column.failures)


class LoginThrottle:
    """The counters of failed logins, in their own short transactions (they outlive a refusal)."""

    def __init__(self, sessions: sessionmaker[Session], clock: Clock) -> None:
        self._sessions = sessions
        self._clock = clock

    def check(self, address: str, login: str) -> None:
        """Refuse (429) while this address or this login must still wait."""
        now = self._clock.now()
        keys = {BY_ADDRESS.key(address): "from your address", BY_LOGIN.key(_login_name(login)): ""}
        with self._sessions() as db:
            rows = db.scalars(select(LoginFailures).where(LoginFailures.key.in_(keys))).all()
        waits = [
            (row.blocked_until, keys[row.key])
            for row in rows
            if row.blocked_until is not None and row.blocked_until > now
        ]
        if not waits:
            return
        until, where = max(waits)
        seconds = max(1, math.ceil((until - now).total_seconds()))
        raise LoginThrottledError(
            where=where or "for this login", wait=wait_words(seconds), retry_after=seconds
        )

    def failed(self, address: str, login: str) -> None:
        """Count a wrong login or password for the address and the login; log it for the owner."""
        now = self._clock.now()
        name = _login_name(login)
        with self._sessions() as db, db.begin():
            by_address = self._count(db, BY_ADDRESS, address, now)
            by_login = self._count(db, BY_LOGIN, name, now)
            db.execute(
                delete(LoginFailures).where(LoginFailures.last_failure_at < now - FORGET_AFTER)
            )
        message = (
            f"Failed login as {name!r} from {address} ({_failures(by_address[0])} in a row "
            f"from that address, {_failures(by_login[0])} for that login)."
        )
        pauses = [
            f"logins from {address} must now wait {by_address[1]}" if by_address[1] else "",
            f"logins as {name!r} from anywhere must now wait {by_login[1]}" if by_login[1] else "",
        ]
        paused = "; ".join(pause for pause in pauses if pause)
        log.warning("%s%s", message, f" To slow down guessing, {paused}." if paused else "")

    def succeeded(self, address: str, login: str) -> None:
        """A right password clears the counts of its login and of the address it came from."""
        keys = [BY_ADDRESS.key(address), BY_LOGIN.key(_login_name(login))]
        with self._sessions() as db, db.begin():
            db.execute(delete(LoginFailures).where(LoginFailures.key.in_(keys)))

    @staticmethod
    def _count(db: Session, rule: Rule, value: str, now: dt.datetime) -> tuple[int, str]:
        """Bump one counter; set how long to wait from now. The count and the wait in words."""
        statement = _count_failure(db.get_bind().dialect.name)
        failures = db.execute(
            statement,
            {
                "key": rule.key(value),
                "failures": 1,
                "last_failure_at": now,
                "blocked_until": None,
                "forget_before": now - FORGET_AFTER,
            },
        ).scalar_one()
        wait = rule.wait_after(failures)
        row = db.get(LoginFailures, rule.key(value))
        assert row is not None
        row.blocked_until = now + wait if wait else None
        db.flush()
        return failures, wait_words(math.ceil(wait.total_seconds())) if wait else ""
