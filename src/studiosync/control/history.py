"""Reading the Control Center logs (filtered, worded) and pruning them after the retention time."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from studiosync.clock import Clock
from studiosync.context import Studio
from studiosync.control import jobs, locks, summary
from studiosync.control.models import EmailedProblem, LogLine, Run, SyncDigest, UserRun
from studiosync.doctor.catalogue import Surface, explain_code
from studiosync.errors import ErrorCode
from studiosync.notify.dedup import REPEAT_WINDOW
from studiosync.studio.models import User
from studiosync.sync.result import Level

LEVELS = [level.value for level in Level]
PRUNE_LEASE = "housekeeping:prune-logs"
PRUNE_EVERY = dt.timedelta(days=1)


@dataclass(frozen=True)
class WordedLine:
    """One log line as a person reads it."""

    id: int
    run_id: int
    at: dt.datetime
    level: str
    code: str
    user: str | None
    item: str | None
    title: str
    cause: str
    fix: str
    summary: bool = False  # the one line that says what a user's run did


def at_least(level: str) -> list[str]:
    """The level names at or above ``level`` (info < warning < error)."""
    return LEVELS[LEVELS.index(level) :]


def read_lines(
    session: Session,
    *,
    user_id: int | None = None,
    level: str = Level.INFO.value,
    run_id: int | None = None,
    since: dt.datetime | None = None,
    limit: int = 200,
) -> list[WordedLine]:
    """The newest ``limit`` lines matching the filters, oldest first, each worded."""
    query = (
        select(LogLine, User.login)
        .outerjoin(User, User.id == LogLine.user_id)
        .where(LogLine.level.in_(at_least(level)))
    )
    if user_id is not None:
        query = query.where(LogLine.user_id == user_id)
    if run_id is not None:
        query = query.where(LogLine.run_id == run_id)
    if since is not None:
        query = query.where(LogLine.at >= since)
    rows = session.execute(query.order_by(LogLine.id.desc()).limit(limit)).all()
    zone = ZoneInfo(jobs.studio_zone(session))
    return [worded(line, login, zone) for line, login in reversed(rows)]


def item_of(line: LogLine, zone: ZoneInfo) -> str | None:
    """The item a line is about, by title and time; by kind alone when it was not named."""
    about = summary.from_params(line.params)
    if about is not None:
        return summary.item_words(about, zone)
    if line.appointment_id is not None:
        return "an appointment no longer in the studio"
    if line.event_id:
        return f"a {summary.service_in(line.params)} event"
    return None


def worded(
    line: LogLine, login: str | None, zone: ZoneInfo, surface: Surface = Surface.EMAIL
) -> WordedLine:
    """One stored line as people read it on ``surface`` (the fix names a screen, or on the
    command line a command); a run's summary line is its sentence."""
    item = item_of(line, zone)
    params = dict(line.params)
    if item is not None:
        params["item"] = item
    about = summary.from_params(params)
    if about is not None:  # the catalogue's slots for an item's title and time
        params.setdefault("title", summary.printable(about.title) or summary.NO_TITLE)
        params.setdefault("when", summary.when_words(about.start, zone) or "no start time")
    if line.code == ErrorCode.SYNC_ROUND_SUMMARY.value:
        counts = params.get("counts")
        problems = params.get("problems")
        params["summary"] = summary.round_sentence(
            counts if isinstance(counts, dict) else {},
            problems=problems if isinstance(problems, int) else 0,
            service=summary.service_in(params),
        )
    worded = explain_code(ErrorCode(line.code), surface, **params)
    return WordedLine(
        id=line.id,
        run_id=line.run_id,
        at=line.at,
        level=line.level,
        code=line.code,
        user=login,
        item=item,
        title=worded.cause if line.code == ErrorCode.SYNC_ROUND_SUMMARY.value else worded.title,
        cause="" if line.code == ErrorCode.SYNC_ROUND_SUMMARY.value else worded.cause,
        fix=worded.fix,
        summary=line.code == ErrorCode.SYNC_ROUND_SUMMARY.value,
    )


def recent_runs(session: Session, limit: int = 20) -> list[Run]:
    return list(session.scalars(select(Run).order_by(Run.id.desc()).limit(limit)))


def prune(session: Session, now: dt.datetime, retention_days: int) -> int:
    """Delete rounds (with their users and lines) older than the retention; how many rounds."""
    cutoff = now - dt.timedelta(days=retention_days)
    old_runs = select(Run.id).where(Run.started_at < cutoff)
    session.execute(
        delete(LogLine)
        .where(LogLine.run_id.in_(old_runs))
        .execution_options(synchronize_session=False)
    )
    session.execute(
        delete(UserRun)
        .where(UserRun.run_id.in_(old_runs))
        .execution_options(synchronize_session=False)
    )
    gone = session.execute(
        delete(Run).where(Run.started_at < cutoff).execution_options(synchronize_session=False)
    )
    session.execute(
        delete(SyncDigest)
        .where(SyncDigest.day < cutoff.date())
        .execution_options(synchronize_session=False)
    )
    forget_before = now - max(dt.timedelta(days=retention_days), 2 * REPEAT_WINDOW)
    session.execute(
        delete(EmailedProblem)
        .where(EmailedProblem.sent_at < forget_before)
        .execution_options(synchronize_session=False)
    )
    return int(gone.rowcount)  # type: ignore[attr-defined]


def prune_daily(studio: Studio, clock: Clock, computer: str, retention_days: int) -> int | None:
    """Prune at most once a day across every computer (a day-long lease); None when not due."""
    owner = locks.new_owner(computer)
    if not locks.try_acquire(studio, PRUNE_LEASE, owner, ttl=PRUNE_EVERY, clock=clock):
        return None
    with studio.transaction() as session:
        return prune(session, clock.now(), retention_days)
