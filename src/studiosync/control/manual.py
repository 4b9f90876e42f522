"""A sync started by hand ('studiosync sync USER'): the round's per-user lock, and its own log."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from studiosync.clock import Clock, SystemClock
from studiosync.context import Studio
from studiosync.control import emails, jobs, locks, records, summary
from studiosync.control.computers import computer_name
from studiosync.control.config import ControlSettings
from studiosync.control.models import UserRun
from studiosync.control.words import holder_words
from studiosync.errors import ErrorCode, StudioSyncError, SyncError
from studiosync.studio.company import get_company
from studiosync.sync.result import RunResult

log = logging.getLogger(__name__)
MANUAL = "manual"  # the mode of a round that is one sync started by hand


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


@dataclass(frozen=True)
class ByHand:
    """A sync started by hand, as recorded: what it did and the round it is logged under."""

    result: RunResult
    run_id: int


def sync_by_hand(
    studio: Studio,
    user_id: int,
    login: str,
    run: Callable[[], RunResult],
    *,
    clock: Clock | None = None,
    send: emails.Sender = emails.send_with_smtp,
) -> ByHand:
    """Run ``run`` under the user's lock and record it in the Control Center log as a round of
    its own ("manual"), with the same lines and emails as a processor round.

    A run that cannot start (sync off, no calendar, a refused sign-in) is recorded as an error
    and its StudioSyncError raised again for the caller to word.
    """
    clock = clock or SystemClock()
    failure: StudioSyncError | None = None
    with holding_user(studio, user_id, login, clock=clock):
        started = clock.now()
        try:
            result = run()
        except StudioSyncError as error:
            failure = error
            result = RunResult(user_id=user_id)
            result.stop(error.code, **{"user": login, **error.params})
        finished = clock.now()
    run_id, user_run_id, to_email = _record(studio, user_id, login, result, started, finished)
    if to_email:
        try:
            emails.email_user(studio, user_run_id, clock=clock, send=send)
        except Exception:
            log.exception("emailing the sync by hand of %s failed", login)
    if failure is not None:
        raise failure
    return ByHand(result, run_id)


def _record(
    studio: Studio,
    user_id: int,
    login: str,
    result: RunResult,
    started: dt.datetime,
    finished: dt.datetime,
) -> tuple[int, int, bool]:
    computer = computer_name(studio.settings)
    with studio.transaction() as session:
        job = jobs.get_job(session)
        run = records.start_run(session, job.id, computer, MANUAL, started)
        row = UserRun(
            run_id=run.id,
            user_id=user_id,
            status=records.Status.RUNNING.value,
            worker=computer,
            started_at=started,
            counts={},
        )
        session.add(row)
        session.flush()
        who = records.RunningUser(row.id, run.id, user_id, login)
        records.record_result(session, who, result, started, finished)
        records.finish_run(session, run.id, finished)
        active = summary.is_active(dataclasses.asdict(result.counts))
        to_email = emails.worth_emailing(session, row.id, user_id, active=active)
        return run.id, row.id, to_email
