"""One user's turn in a round: take the user's lock, sync, record the outcome, email the user."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import uuid
from dataclasses import dataclass
from typing import cast

from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.orm import Session

from studiosync.context import Studio
from studiosync.control import emails, locks, records, summary
from studiosync.control.clock import Clock
from studiosync.control.models import UserRun
from studiosync.control.records import Status
from studiosync.control.syncer import UserSyncer
from studiosync.control.words import holder_words
from studiosync.errors import ErrorCode, StudioSyncError
from studiosync.studio.company import get_company
from studiosync.studio.models import User
from studiosync.sync.result import Level, RunResult

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class UserTurn:
    """What one worker needs to run users: the studio, the syncer, a clock, its own name, and
    how long a user's lock may go without a heartbeat before it is taken over."""

    studio: Studio
    syncer: UserSyncer
    clock: Clock
    worker: str
    send: emails.Sender = emails.send_with_smtp
    stale_after: dt.timedelta = locks.STALE_AFTER


@dataclass(frozen=True)
class _Claim:
    """A user taken for this run: the row is running and the user's lock is ours."""

    user: records.RunningUser
    lock: str
    owner: str


def run_user(turn: UserTurn, user_run_id: int) -> Status:
    """Run one queued user; any failure of the syncer is recorded as an error, never raised.

    Three short transactions around the sync: claim the row and take the user's lock; record
    the outcome and give the lock back; and (only when there is something to say) the email.
    """
    claim = _claim(turn, user_run_id, locks.new_owner(turn.worker))
    if claim is None:
        return Status.SKIPPED  # taken by someone else (a task delivered twice), or busy
    try:
        with locks.kept_alive(
            turn.studio,
            claim.lock,
            claim.owner,
            ttl=locks.USER_LOCK_TTL,
            clock=turn.clock,
            stale_after=turn.stale_after,
        ):
            started = turn.clock.now()
            result = _call_syncer(turn, claim.user.user_id, claim.user.login)
            finished = turn.clock.now()
        status, to_email = _record(turn, claim, result, started, finished)
    except BaseException:
        locks.release(turn.studio, claim.lock, claim.owner)
        raise
    if to_email:
        _email(turn, user_run_id)
    return status


# Plain table statements: these run once per user per round.
_USER_RUNS = cast(Table, UserRun.__table__)
_CLAIM = (
    update(_USER_RUNS)
    .where(_USER_RUNS.c.id == bindparam("row"), _USER_RUNS.c.status == Status.QUEUED.value)
    .values(status=Status.RUNNING.value, started_at=bindparam("now"), worker=bindparam("worker"))
    .returning(_USER_RUNS.c.user_id, _USER_RUNS.c.run_id)
)
_LOGIN = select(User.__table__.c.login).where(User.__table__.c.id == bindparam("user"))


def _claim(turn: UserTurn, user_run_id: int, owner: str) -> _Claim | None:
    """Move the row from queued to running and take the user's lock, in one transaction.

    None when the row was not queued any more, or when another worker holds the user (then
    the row is skipped with the reason and who holds it).
    """
    now = turn.clock.now()
    with turn.studio.transaction() as session:
        taken = session.execute(
            _CLAIM, {"row": user_run_id, "now": now, "worker": turn.worker}
        ).first()
        if taken is None:
            return None
        user_id, run_id = taken
        login = session.scalar(_LOGIN, {"user": user_id}) or str(user_id)
        lock = locks.user_lock_name(user_id)
        if locks.take(
            session, lock, owner, ttl=locks.USER_LOCK_TTL, now=now, stale_after=turn.stale_after
        ):
            return _Claim(records.RunningUser(user_run_id, run_id, user_id, login), lock, owner)
        holder = locks.holder_in(session, lock, now=now, stale_after=turn.stale_after)
        _busy(session, user_run_id, user_id, login, holder, now)
        return None


def _busy(
    session: Session,
    user_run_id: int,
    user_id: int,
    login: str,
    holder: locks.Holder,
    now: dt.datetime,
) -> None:
    """The user is skipped, a warning naming who holds them (the round ends with a warning)."""
    row = session.get(UserRun, user_run_id)
    assert row is not None
    row.status = Status.SKIPPED.value
    row.reason = ErrorCode.CONTROL_USER_BUSY.value
    row.finished_at = now
    owner = (
        holder_words(holder, get_company(session).time_zone) if holder.owner else "another worker"
    )
    log.warning("user %s skipped: being synced by %s", login, owner)
    records.add_line(
        session,
        row.run_id,
        Level.WARNING,
        ErrorCode.CONTROL_USER_BUSY,
        {"user": login, "owner": owner},
        now,
        user_id=user_id,
        user_run_id=user_run_id,
    )


def _record(
    turn: UserTurn,
    claim: _Claim,
    result: RunResult,
    started: dt.datetime,
    finished: dt.datetime,
) -> tuple[Status, bool]:
    """Store the outcome and give the user's lock back; and whether an email may be due."""
    with turn.studio.transaction() as session:
        status = records.record_result(session, claim.user, result, started, finished)
        locks.give_back(session, claim.lock, claim.owner)
        active = summary.is_active(dataclasses.asdict(result.counts))
        to_email = emails.worth_emailing(
            session, claim.user.user_run_id, claim.user.user_id, active=active
        )
    return status, to_email


def _call_syncer(turn: UserTurn, user_id: int, login: str) -> RunResult:
    try:
        result = turn.syncer(turn.studio, user_id)
    except StudioSyncError as error:
        log.warning("sync of user %s stopped: %s", login, error.code.value)
        result = RunResult(user_id=user_id)
        result.stop(error.code, **{"user": login, **error.params})
    except Exception as error:
        reference = uuid.uuid4().hex[:8]
        log.exception("sync of user %s failed unexpectedly (reference %s)", login, reference)
        result = RunResult(user_id=user_id)
        result.stop(
            ErrorCode.CONTROL_SYNCER_FAILED,
            user=login,
            error=type(error).__name__,
            reference=reference,
        )
    if not isinstance(result, RunResult):
        result = RunResult(user_id=user_id)
        result.stop(
            ErrorCode.CONTROL_SYNCER_FAILED, user=login, error="no RunResult", reference="-"
        )
    return result


def _email(turn: UserTurn, user_run_id: int) -> None:
    try:
        emails.email_user(turn.studio, user_run_id, clock=turn.clock, send=turn.send)
    except Exception:
        log.exception("emailing user run %s failed", user_run_id)
