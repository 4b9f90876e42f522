"""One user's turn in a round: take the user's lock, sync, record the outcome, email the user."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass

from sqlalchemy import update

from studiosync.context import Studio
from studiosync.control import emails, locks, records
from studiosync.control.clock import Clock
from studiosync.control.models import UserRun
from studiosync.control.records import Status
from studiosync.control.syncer import UserSyncer
from studiosync.errors import ErrorCode, StudioSyncError
from studiosync.studio.models import User
from studiosync.sync.result import Level, RunResult

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class UserTurn:
    """What one worker needs to run users: the studio, the syncer, a clock, its own name."""

    studio: Studio
    syncer: UserSyncer
    clock: Clock
    worker: str
    send: emails.Sender = emails.send_with_smtp


def run_user(turn: UserTurn, user_run_id: int) -> Status:
    """Run one queued user; any failure of the syncer is recorded as an error, never raised."""
    claimed = _claim(turn, user_run_id)
    if claimed is None:
        return Status.SKIPPED  # already taken by someone else (a task delivered twice)
    user_id, login = claimed
    lock_name = locks.user_lock_name(user_id)
    owner = locks.new_owner(turn.worker)
    if not locks.try_acquire(
        turn.studio, lock_name, owner, ttl=locks.USER_LOCK_TTL, clock=turn.clock
    ):
        return _busy(turn, user_run_id, user_id, login, lock_name)
    try:
        with locks.kept_alive(
            turn.studio, lock_name, owner, ttl=locks.USER_LOCK_TTL, clock=turn.clock
        ):
            status = _sync(turn, user_run_id, user_id, login)
    finally:
        locks.release(turn.studio, lock_name, owner)
    _email(turn, user_run_id)
    return status


def _claim(turn: UserTurn, user_run_id: int) -> tuple[int, str] | None:
    """Move the row from queued to running; None when it was not queued any more."""
    now = turn.clock.now()
    with turn.studio.transaction() as session:
        moved = session.execute(
            update(UserRun)
            .where(UserRun.id == user_run_id, UserRun.status == Status.QUEUED.value)
            .values(status=Status.RUNNING.value, started_at=now, worker=turn.worker)
            .execution_options(synchronize_session=False)
        )
        if moved.rowcount != 1:  # type: ignore[attr-defined]
            return None
        row = session.get(UserRun, user_run_id)
        assert row is not None
        user = session.get(User, row.user_id)
        return row.user_id, user.login if user else str(row.user_id)


def _busy(turn: UserTurn, user_run_id: int, user_id: int, login: str, lock_name: str) -> Status:
    holder = locks.holder(turn.studio, lock_name, clock=turn.clock)
    now = turn.clock.now()
    with turn.studio.transaction() as session:
        row = session.get(UserRun, user_run_id)
        assert row is not None
        row.status = Status.SKIPPED.value
        row.reason = ErrorCode.CONTROL_USER_BUSY.value
        row.finished_at = now
        records.add_line(
            session,
            row.run_id,
            Level.INFO,
            ErrorCode.CONTROL_USER_BUSY,
            {"user": login, "owner": holder.owner or "another worker"},
            now,
            user_id=user_id,
            user_run_id=user_run_id,
        )
    return Status.SKIPPED


def _sync(turn: UserTurn, user_run_id: int, user_id: int, login: str) -> Status:
    started = turn.clock.now()
    result = _call_syncer(turn, user_id, login)
    finished = turn.clock.now()
    with turn.studio.transaction() as session:
        row = session.get(UserRun, user_run_id)
        assert row is not None
        row.started_at = started
        return records.record_result(session, row, login, result, started, finished)


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
