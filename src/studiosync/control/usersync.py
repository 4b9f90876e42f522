"""Users' turns in a round: take their locks, sync each, record the outcomes, email the users."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import uuid
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from typing import cast

from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.orm import Session

from studiosync.clock import Clock
from studiosync.context import Studio
from studiosync.control import emails, locks, records, summary
from studiosync.control.models import UserRun
from studiosync.control.records import Status
from studiosync.control.syncer import Batch, UserSyncer, batch_of
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


RECORD_AFTER_SECONDS = 1.0
"""A batch's finished users wait at most about this long to be recorded together."""


@dataclass(frozen=True)
class _Done:
    claim: _Claim
    outcome: records.Outcome


def run_user(turn: UserTurn, user_run_id: int) -> Status:
    """Run one queued user; any failure of the syncer is recorded as an error, never raised."""
    return run_users(turn, [user_run_id])[0]


def run_users(turn: UserTurn, user_run_ids: Sequence[int]) -> list[Status]:
    """Run a batch of queued users, one after another; their statuses, in order.

    A few short transactions for the whole batch: claim the rows and take the users' locks;
    the syncer's batch reads what the runs need together; the outcomes are recorded (and the
    locks given back) together, at the latest about a second after a user finished; then an
    email for any user with something to say. A failure of the syncer is recorded as that
    user's error, never raised.
    """
    owner = locks.new_owner(turn.worker)
    claims = _claim(turn, user_run_ids, owner)
    statuses = dict.fromkeys(user_run_ids, Status.SKIPPED)  # taken elsewhere, or busy
    if not claims:
        return [statuses[row] for row in user_run_ids]
    unrecorded = {claim.user.user_run_id: claim for claim in claims}
    to_email: list[int] = []
    try:
        with ExitStack() as kept:
            for claim in claims:
                kept.enter_context(
                    locks.kept_alive(
                        turn.studio,
                        claim.lock,
                        claim.owner,
                        ttl=locks.USER_LOCK_TTL,
                        clock=turn.clock,
                        stale_after=turn.stale_after,
                    )
                )
            batch = batch_of(turn.syncer, turn.studio, [c.user.user_id for c in claims])
            done: list[_Done] = []
            for claim in claims:
                started = turn.clock.now()
                result = _call_syncer(batch, claim.user.user_id, claim.user.login)
                finished = turn.clock.now()
                done.append(_Done(claim, records.Outcome(claim.user, result, started, finished)))
                first = done[0].outcome.finished
                if finished - first >= _RECORD_AFTER or finished - started >= _RECORD_AFTER:
                    _record_done(turn, batch, done, statuses, unrecorded, to_email)
            _record_done(turn, batch, done, statuses, unrecorded, to_email)
    except BaseException:
        for claim in unrecorded.values():
            locks.release(turn.studio, claim.lock, claim.owner)
        raise
    for user_run_id in to_email:
        _email(turn, user_run_id)
    return [statuses[row] for row in user_run_ids]


_RECORD_AFTER = dt.timedelta(seconds=RECORD_AFTER_SECONDS)


def _record_done(
    turn: UserTurn,
    batch: Batch,
    done: list[_Done],
    statuses: dict[int, Status],
    unrecorded: dict[int, _Claim],
    to_email: list[int],
) -> None:
    """What the runs kept back is written, then their outcomes; ``done`` is emptied."""
    if not done:
        return
    batch.settle()
    with turn.studio.transaction() as session:
        outcomes = [item.outcome for item in done]
        for item, status in zip(done, records.record_results(session, outcomes), strict=True):
            statuses[item.claim.user.user_run_id] = status
        locks.give_back_all(session, [(item.claim.lock, item.claim.owner) for item in done])
        for item in done:
            if _worth_emailing(session, item.outcome, statuses[item.claim.user.user_run_id]):
                to_email.append(item.claim.user.user_run_id)
    for item in done:
        unrecorded.pop(item.claim.user.user_run_id, None)
    done.clear()


# Plain table statements: these run once per user per round.
_USER_RUNS = cast(Table, UserRun.__table__)
_CLAIM = (
    update(_USER_RUNS)
    .where(
        _USER_RUNS.c.id.in_(bindparam("rows", expanding=True)),
        _USER_RUNS.c.status == Status.QUEUED.value,
    )
    .values(status=Status.RUNNING.value, started_at=bindparam("now"), worker=bindparam("worker"))
    .returning(_USER_RUNS.c.id, _USER_RUNS.c.user_id, _USER_RUNS.c.run_id)
)
_USERS = cast(Table, User.__table__)
_LOGINS = select(_USERS.c.id, _USERS.c.login).where(
    _USERS.c.id.in_(bindparam("users", expanding=True))
)


def _claim(turn: UserTurn, user_run_ids: Sequence[int], owner: str) -> list[_Claim]:
    """Move the rows from queued to running and take their users' locks, in one transaction.

    Rows no longer queued are left out, and so are users another worker holds (their rows
    are skipped with the reason and who holds them). In the order given.
    """
    now = turn.clock.now()
    claims: list[_Claim] = []
    with turn.studio.transaction() as session:
        taken = {
            row.id: row
            for row in session.execute(
                _CLAIM, {"rows": list(user_run_ids), "now": now, "worker": turn.worker}
            )
        }
        if not taken:
            return claims
        users = [row.user_id for row in taken.values()]
        logins: dict[int, str] = {
            row.id: row.login for row in session.execute(_LOGINS, {"users": users})
        }
        rows = [taken[row] for row in user_run_ids if row in taken]
        held = locks.take_many(
            session,
            [locks.user_lock_name(row.user_id) for row in rows],
            owner,
            ttl=locks.USER_LOCK_TTL,
            now=now,
            stale_after=turn.stale_after,
        )
        for row in rows:
            login = logins.get(row.user_id) or str(row.user_id)
            lock = locks.user_lock_name(row.user_id)
            if lock in held:
                user = records.RunningUser(row.id, row.run_id, row.user_id, login)
                claims.append(_Claim(user, lock, owner))
                continue
            holder = locks.holder_in(session, lock, now=now, stale_after=turn.stale_after)
            _busy(session, row.id, row.user_id, login, holder, now)
    return claims


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


def _worth_emailing(session: Session, outcome: records.Outcome, status: Status) -> bool:
    """Whether the user may get an email about this run; a quiet run that went well never
    does, whatever the user chose (so it asks the database nothing)."""
    active = summary.is_active(dataclasses.asdict(outcome.result.counts))
    if status is Status.OK and not active:
        return False
    user = outcome.user
    return emails.worth_emailing(session, user.user_run_id, user.user_id, active=active)


def _call_syncer(batch: Batch, user_id: int, login: str) -> RunResult:
    try:
        result = batch.run(user_id)
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
