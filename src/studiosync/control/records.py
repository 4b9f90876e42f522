"""Run history written as rounds go: rounds, each user's run, log lines, each user's status."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import Any, cast

from sqlalchemy import Table, bindparam, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from studiosync.accounts.connections import services_of
from studiosync.control import runlines
from studiosync.control.eligibility import Candidate, Note
from studiosync.control.models import LogLine, Run, UserRun, UserSyncStatus
from studiosync.errors import ErrorCode
from studiosync.studio.models import GoogleSettings, User
from studiosync.sync.result import Level, RunResult


class Status(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    OK = "ok"
    WARNING = "warning"
    ERROR = "error"
    SKIPPED = "skipped"
    NOT_FINISHED = "not_finished"


PENDING = (Status.QUEUED, Status.RUNNING)


def plain(params: Mapping[str, object]) -> dict[str, Any]:
    """Message params as JSON-safe values (dates as ISO text, anything odd as its text)."""
    safe: dict[str, Any] = {}
    for key, value in params.items():
        if value is None or isinstance(value, bool | int | float | str):
            safe[key] = value
        elif isinstance(value, dt.datetime | dt.date):
            safe[key] = value.isoformat()
        elif isinstance(value, list | tuple):
            safe[key] = [
                item if isinstance(item, int | float | str) else str(item) for item in value
            ]
        else:
            safe[key] = str(value)
    return safe


def start_run(session: Session, job_id: int, computer: str, mode: str, now: dt.datetime) -> Run:
    run = Run(
        job_id=job_id,
        computer=computer,
        mode=mode,
        status=Status.RUNNING,
        started_at=now,
        users_ok=0,
        users_warning=0,
        users_error=0,
        users_skipped=0,
    )
    session.add(run)
    session.flush()
    return run


def add_line(
    session: Session,
    run_id: int,
    level: Level,
    code: ErrorCode,
    params: Mapping[str, object],
    at: dt.datetime,
    *,
    user_id: int | None = None,
    user_run_id: int | None = None,
    appointment_id: int | None = None,
    event_id: str | None = None,
) -> None:
    session.add(
        LogLine(
            run_id=run_id,
            user_run_id=user_run_id,
            user_id=user_id,
            at=at,
            level=level.value,
            code=code.value,
            params=plain(params),
            appointment_id=appointment_id,
            event_id=event_id,
        )
    )


def _line_row(
    run_id: int,
    note: Note,
    at: dt.datetime,
    user_id: int,
    user_run_id: int,
) -> dict[str, Any]:
    return {
        "run_id": run_id,
        "user_run_id": user_run_id,
        "user_id": user_id,
        "at": at,
        "level": note.level.value,
        "code": note.code.value,
        "params": plain(note.params),
        "appointment_id": None,
        "event_id": None,
    }


def add_users(
    session: Session, run_id: int, candidates: Iterable[Candidate], now: dt.datetime
) -> list[int]:
    """A row per user: skipped ones with their reason logged, the others queued (ids returned).

    Written in bulk (a few statements for the whole studio, not one per user).
    """
    every = list(candidates)
    if not every:
        return []
    ids = list(
        session.scalars(
            insert(UserRun).returning(UserRun.id, sort_by_parameter_order=True),
            [
                {
                    "run_id": run_id,
                    "user_id": candidate.user_id,
                    "status": (Status.SKIPPED if candidate.skip else Status.QUEUED).value,
                    "reason": candidate.skip.code.value if candidate.skip else None,
                    "counts": {},
                }
                for candidate in every
            ],
        )
    )
    lines = [
        _line_row(run_id, note, now, candidate.user_id, user_run_id)
        for candidate, user_run_id in zip(every, ids, strict=True)
        for note in ((candidate.skip,) if candidate.skip else candidate.notes)
    ]
    if lines:
        session.execute(insert(LogLine), lines)
    return [
        user_run_id for candidate, user_run_id in zip(every, ids, strict=True) if not candidate.skip
    ]


def result_status(result: RunResult) -> Status:
    if result.stopped is not None or result.errors:
        return Status.ERROR
    if result.warnings:
        return Status.WARNING
    return Status.OK


@dataclass(frozen=True)
class RunningUser:
    """One user's run in a round, as the worker running it knows it."""

    user_run_id: int
    run_id: int
    user_id: int
    login: str


# Plain table statements: these run once per user per round.
_USER_RUNS = cast(Table, UserRun.__table__)
_RECORD = (
    update(_USER_RUNS)
    .where(_USER_RUNS.c.id == bindparam("row"))
    .values(
        {
            column: bindparam(f"new_{column}")
            for column in (
                "status",
                "reason",
                "started_at",
                "finished_at",
                "duration_seconds",
                "counts",
            )
        }
    )
)


@dataclass(frozen=True)
class Outcome:
    """How one user's run went, to be recorded."""

    user: RunningUser
    result: RunResult
    started: dt.datetime
    finished: dt.datetime


def record_result(
    session: Session,
    user: RunningUser,
    result: RunResult,
    started: dt.datetime,
    finished: dt.datetime,
) -> Status:
    """Store one user's outcome: status, counts, log lines, status table, populate boxes."""
    return record_results(session, [Outcome(user, result, started, finished)])[0]


def record_results(session: Session, outcomes: Sequence[Outcome]) -> list[Status]:
    """Store users' outcomes (``record_result`` for each): a few plain statements for them
    all, each sent once with every user's values; this runs for every user of every round."""
    statuses = [result_status(outcome.result) for outcome in outcomes]
    if not outcomes:
        return statuses
    session.execute(
        _RECORD,
        [
            {
                "row": outcome.user.user_run_id,
                "new_status": status.value,
                "new_reason": outcome.result.stopped.value if outcome.result.stopped else None,
                "new_started_at": outcome.started,
                "new_finished_at": outcome.finished,
                "new_duration_seconds": (outcome.finished - outcome.started).total_seconds(),
                "new_counts": dataclasses.asdict(outcome.result.counts),
            }
            for outcome, status in zip(outcomes, statuses, strict=True)
        ],
    )
    services = services_of(session, (outcome.user.user_id for outcome in outcomes))
    rows = [
        row
        for outcome in outcomes
        for row in runlines.result_rows(
            session,
            run_id=outcome.user.run_id,
            user_run_id=outcome.user.user_run_id,
            user_id=outcome.user.user_id,
            login=outcome.user.login,
            result=outcome.result,
            at=outcome.finished,
            service=services.get(outcome.user.user_id, "Google"),
        )
    ]
    session.execute(insert(LogLine), rows)
    _update_statuses(session, outcomes, statuses)
    for outcome in outcomes:
        _uncheck_populate(session, outcome.user.user_id, outcome.result)
    return statuses


_STATUS_COLUMNS = (
    "blocked_until",
    "needs_bulk_delete_confirmation",
    "last_run_at",
    "last_status",
    "last_error_code",
)


@cache
def _status_upsert(dialect: str) -> Any:
    """INSERT … ON CONFLICT (user_id) DO UPDATE for the status table, built once per dialect."""
    table = UserSyncStatus.__table__
    upsert = (postgresql if dialect == "postgresql" else sqlite).insert(table)
    return upsert.on_conflict_do_update(
        index_elements=[table.c.user_id],
        set_={column: upsert.excluded[column] for column in _STATUS_COLUMNS},
    )


def _update_statuses(
    session: Session, outcomes: Sequence[Outcome], statuses: Sequence[Status]
) -> None:
    """Each user's row in the status table, made or replaced by an upsert (sent once)."""
    rows = []
    for outcome, status in zip(outcomes, statuses, strict=True):
        result = outcome.result
        error = result.stopped or (result.errors[0].code if result.errors else None)
        rows.append(
            {
                "user_id": outcome.user.user_id,
                "blocked_until": result.blocked_until,
                "needs_bulk_delete_confirmation": result.needs_bulk_delete_confirmation,
                "last_run_at": outcome.finished,
                "last_status": status.value,
                "last_error_code": error.value if error else None,
            }
        )
    dialect = session.get_bind().dialect.name
    if dialect in ("postgresql", "sqlite"):
        session.execute(_status_upsert(dialect), rows)
        return
    for values in rows:
        record = session.get(UserSyncStatus, values["user_id"]) or UserSyncStatus()
        for key, value in values.items():
            setattr(record, key, value)
        session.add(record)


def _uncheck_populate(session: Session, user_id: int, result: RunResult) -> None:
    if not (result.clear_populate_google or result.clear_populate_studio):
        return
    tab = session.get(GoogleSettings, user_id)
    if tab is None:
        return
    if result.clear_populate_google:
        tab.populate_google = False
    if result.clear_populate_studio:
        tab.populate_studio = False


def close_abandoned(session: Session, job_id: int, now: dt.datetime) -> list[int]:
    """Rounds of the job still marked running, whose processor died (the caller holds the
    job's lease, so no other round of it is alive): their unfinished users are marked not
    finished, a line names the computer, and each round is closed. Their ids."""
    runs = list(
        session.scalars(select(Run).where(Run.job_id == job_id, Run.status == Status.RUNNING))
    )
    for run in runs:
        pending = list(
            session.execute(
                select(UserRun, User.login)
                .join(User, User.id == UserRun.user_id)
                .where(UserRun.run_id == run.id, UserRun.status.in_([s.value for s in PENDING]))
            )
        )
        for row, _login in pending:
            row.status = Status.NOT_FINISHED.value
            row.reason = ErrorCode.CONTROL_ROUND_ABANDONED.value
        users = ", ".join(sorted(login for _row, login in pending)) or "none"
        add_line(
            session, run.id, Level.WARNING, ErrorCode.CONTROL_ROUND_ABANDONED,
            {"computer": run.computer, "users": users}, now,
        )  # fmt: skip
        finish_run(session, run.id, now)
    return [run.id for run in runs]


def finish_run(session: Session, run_id: int, now: dt.datetime) -> Run:
    """Close a round: tally its users and set its status from the worst of them."""
    run = session.get(Run, run_id)
    assert run is not None
    tally = dict(
        session.execute(
            select(UserRun.status, func.count())
            .where(UserRun.run_id == run_id)
            .group_by(UserRun.status)
        ).all()
    )
    run.users_ok = tally.get(Status.OK, 0)
    run.users_warning = tally.get(Status.WARNING, 0)
    run.users_error = tally.get(Status.ERROR, 0)
    run.users_skipped = tally.get(Status.SKIPPED, 0)
    round_lines = session.scalar(
        select(func.count())
        .select_from(LogLine)
        .where(LogLine.run_id == run_id, LogLine.level == Level.WARNING.value)
    )
    if run.users_error or tally.get(Status.NOT_FINISHED, 0):
        run.status = Status.ERROR
    elif run.users_warning or round_lines:
        run.status = Status.WARNING
    else:
        run.status = Status.OK
    run.finished_at = now
    run.duration_seconds = (now - run.started_at).total_seconds()
    session.flush()
    return run
