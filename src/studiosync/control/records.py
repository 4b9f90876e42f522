"""Run history written as rounds go: rounds, each user's run, log lines, each user's status."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from studiosync.control.eligibility import Candidate, Note
from studiosync.control.models import LogLine, Run, UserRun, UserSyncStatus
from studiosync.errors import ErrorCode
from studiosync.studio.models import GoogleSettings
from studiosync.sync.result import Level, LogEntry, RunResult


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


def add_users(
    session: Session, run_id: int, candidates: Iterable[Candidate], now: dt.datetime
) -> list[int]:
    """A row per user: skipped ones with their reason logged, the others queued (ids returned)."""
    queued: list[int] = []
    for candidate in candidates:
        status = Status.SKIPPED if candidate.skip else Status.QUEUED
        row = UserRun(
            run_id=run_id,
            user_id=candidate.user_id,
            status=status,
            reason=candidate.skip.code.value if candidate.skip else None,
            counts={},
        )
        session.add(row)
        session.flush()
        notes: tuple[Note, ...] = (candidate.skip,) if candidate.skip else candidate.notes
        for note in notes:
            add_line(
                session,
                run_id,
                note.level,
                note.code,
                note.params,
                now,
                user_id=candidate.user_id,
                user_run_id=row.id,
            )
        if not candidate.skip:
            queued.append(row.id)
    return queued


def result_status(result: RunResult) -> Status:
    if result.stopped is not None or result.errors:
        return Status.ERROR
    if result.warnings:
        return Status.WARNING
    return Status.OK


def record_result(
    session: Session,
    row: UserRun,
    login: str,
    result: RunResult,
    started: dt.datetime,
    finished: dt.datetime,
) -> Status:
    """Store one user's outcome: status, counts, log lines, status table, populate boxes."""
    status = result_status(result)
    row.status = status
    row.reason = result.stopped.value if result.stopped else None
    row.finished_at = finished
    row.duration_seconds = (finished - started).total_seconds()
    row.counts = dataclasses.asdict(result.counts)
    for entry in result.log:
        _add_entry(session, row, login, entry, finished)
    _update_status(session, row.user_id, result, status, finished)
    _uncheck_populate(session, row.user_id, result)
    session.flush()
    return status


def _add_entry(
    session: Session, row: UserRun, login: str, entry: LogEntry, at: dt.datetime
) -> None:
    params = {"user": login, **entry.params}
    add_line(
        session,
        row.run_id,
        entry.level,
        entry.code,
        params,
        at,
        user_id=row.user_id,
        user_run_id=row.id,
        appointment_id=entry.appointment_id,
        event_id=entry.event_id,
    )


def _update_status(
    session: Session, user_id: int, result: RunResult, status: Status, now: dt.datetime
) -> None:
    record = session.get(UserSyncStatus, user_id)
    if record is None:
        record = UserSyncStatus(user_id=user_id)
        session.add(record)
    record.blocked_until = result.blocked_until
    record.needs_bulk_delete_confirmation = result.needs_bulk_delete_confirmation
    record.last_run_at = now
    record.last_status = status.value
    record.last_error_code = result.stopped.value if result.stopped else None
    if record.last_error_code is None and result.errors:
        record.last_error_code = result.errors[0].code.value


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
