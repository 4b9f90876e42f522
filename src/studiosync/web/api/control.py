"""API: the Control Center: jobs and computers (administrators), runs, logs and conflicts.

Administrators see everyone's history; any other user only their own (403 for anyone else's).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query
from sqlalchemy import select
from sqlalchemy.orm import Session

from studiosync.accounts.connections import services_of
from studiosync.clock import SystemClock
from studiosync.control import history, jobs, views
from studiosync.control.computers import is_online, list_computers
from studiosync.control.models import Job, Run, UserRun
from studiosync.errors import AccessError, ErrorCode
from studiosync.studio.models import User
from studiosync.syncstate.models import SyncConflict
from studiosync.web.api.common import api_router
from studiosync.web.api.sync_schemas import (
    ComputerOut,
    ConflictOut,
    JobOut,
    JobPatch,
    LogLineOut,
    RunDetailOut,
    RunNowOut,
    RunOut,
    UserRunOut,
)
from studiosync.web.control_views import visible_run
from studiosync.web.deps import ApiAdmin, ApiUser, Db, is_admin
from studiosync.web.forms import MAX_ID
from studiosync.wording.conflicts import reason_words

router = api_router("/control", "Control Center", admin=False)
JobKey = Annotated[str, Path(max_length=64)]
RunId = Annotated[int, Path(ge=1, le=MAX_ID)]
UserFilter = Annotated[int | None, Query(ge=1, le=MAX_ID)]
RunFilter = Annotated[int | None, Query(ge=1, le=MAX_ID)]
Limit = Annotated[int, Query(ge=1, le=1000)]
clock = SystemClock()


def whose(me: User, user_id: int | None) -> int | None:
    """The user whose history is asked for: anyone (None = everyone) for administrators."""
    if is_admin(me):
        return user_id
    if user_id is not None and user_id != me.id:
        raise AccessError(ErrorCode.OTHERS_SYNC_HISTORY, what="another user's runs and logs")
    return me.id


def job_out(db: Session, job: Job) -> JobOut:
    now = clock.now()
    view = views.job_view(db, job, now)
    return JobOut(
        key=job.key,
        name=job.name,
        enabled=job.enabled,
        schedule=job.schedule,
        schedule_words=view.words,
        computer=job.computer,
        computer_state=view.computer_state,
        due=jobs.is_due(job, now),
        last_run_at=job.last_run_at,
        next_run_at=job.next_run_at,
    )


def run_out(run: Run) -> RunOut:
    return RunOut.model_validate(run, from_attributes=True)


def user_run_out(row: UserRun, login: str) -> UserRunOut:
    return UserRunOut(
        id=row.id,
        run_id=row.run_id,
        user_id=row.user_id,
        login=login,
        status=row.status,
        reason=row.reason,
        duration_seconds=row.duration_seconds,
        counts=dict(row.counts or {}),
    )


def _user_runs(db: Session, *, run_id: int | None, user_id: int | None) -> list[UserRunOut]:
    query = select(UserRun, User.login).join(User, User.id == UserRun.user_id)
    if run_id is not None:
        query = query.where(UserRun.run_id == run_id)
    if user_id is not None:
        query = query.where(UserRun.user_id == user_id)
    return [user_run_out(row, login) for row, login in db.execute(query.order_by(UserRun.id))]


@router.get("/jobs")
def list_jobs(db: Db, me: ApiAdmin) -> list[JobOut]:
    """Each job: enabled, schedule (and in words), its computer and its state, last/next run."""
    return [job_out(db, job) for job in jobs.list_jobs(db)]


@router.patch("/jobs/{job_key}")
def change_job(db: Db, me: ApiAdmin, job_key: JobKey, body: JobPatch) -> JobOut:
    """Choose the computer, change the schedule (validated), enable or disable."""
    now = clock.now()
    job = jobs.get_job(db, job_key)
    if body.computer is not None:
        jobs.set_computer(db, body.computer, job_key)
    if body.schedule is not None:
        jobs.set_schedule(db, body.schedule, now, job_key)
    if body.enabled is True:
        jobs.enable(db, now, job_key)
    elif body.enabled is False:
        jobs.disable(db, job_key)
    return job_out(db, job)


@router.post("/jobs/{job_key}/run-now")
def run_job_now(db: Db, me: ApiAdmin, job_key: JobKey) -> RunNowOut:
    """Mark the job due: the processor on its computer starts a round at its next check."""
    job = jobs.run_now(db, clock.now(), job_key)
    return RunNowOut(
        job=job_out(db, job),
        message=f"due now: the processor on {job.computer} starts it within a few seconds",
    )


@router.get("/computers")
def computers(db: Db, me: ApiAdmin) -> list[ComputerOut]:
    """Every computer that checked in: last seen, on and online, whether it reached Google."""
    now = clock.now()
    return [
        ComputerOut(
            name=row.name,
            state=views.computer_state(row, now),
            online=is_online(row, now),
            last_seen_at=row.last_seen_at,
            reaches_google=row.google_reachable,
            google_error=row.google_error,
            version=row.version,
        )
        for row in list_computers(db)
    ]


@router.get("/runs")
def rounds(db: Db, me: ApiAdmin, limit: Limit = 20) -> list[RunOut]:
    """The latest rounds, newest first, with their users by outcome and duration."""
    return [run_out(run) for run in history.recent_runs(db, limit)]


@router.get("/runs/{run_id}")
def one_round(db: Db, me: ApiUser, run_id: RunId) -> RunDetailOut:
    """A round and its users: administrators see all; a user who took part, their own part."""
    run = visible_run(db, me, run_id)
    only = None if is_admin(me) else me.id
    return RunDetailOut(run=run_out(run), users=_user_runs(db, run_id=run.id, user_id=only))


@router.get("/user-runs")
def users_runs(
    db: Db, me: ApiUser, user_id: UserFilter = None, limit: Limit = 50
) -> list[UserRunOut]:
    """Each user's part in the latest rounds (a user: their own), newest first."""
    chosen = whose(me, user_id)
    query = select(UserRun, User.login).join(User, User.id == UserRun.user_id)
    if chosen is not None:
        query = query.where(UserRun.user_id == chosen)
    rows = db.execute(query.order_by(UserRun.id.desc()).limit(limit))
    return [user_run_out(row, login) for row, login in rows]


@router.get("/logs")
def log_lines(
    db: Db,
    me: ApiUser,
    user_id: UserFilter = None,
    level: Annotated[str, Query(pattern="^(info|warning|error)$")] = "info",
    run_id: RunFilter = None,
    limit: Limit = 200,
) -> list[LogLineOut]:
    """The newest log lines (oldest first), each worded from the error catalogue."""
    chosen = whose(me, user_id)
    if run_id is not None:
        visible_run(db, me, run_id)
    lines = history.read_lines(db, user_id=chosen, level=level, run_id=run_id, limit=limit)
    return [LogLineOut.model_validate(line, from_attributes=True) for line in lines]


@router.get("/conflicts")
def conflicts(
    db: Db, me: ApiUser, user_id: UserFilter = None, limit: Limit = 100
) -> list[ConflictOut]:
    """The conflict log: each losing version kept in full, newest first."""
    chosen = whose(me, user_id)
    query = select(SyncConflict, User.login).join(User, User.id == SyncConflict.user_id)
    if chosen is not None:
        query = query.where(SyncConflict.user_id == chosen)
    rows = db.execute(query.order_by(SyncConflict.id.desc()).limit(limit)).all()
    services = services_of(db, {row.user_id for row, _login in rows})
    return [
        ConflictOut(
            id=row.id,
            created_at=row.created_at,
            user_id=row.user_id,
            login=login,
            appointment_id=row.appointment_id,
            event_id=row.event_id,
            reason=row.reason,
            why=reason_words(row.reason, services.get(row.user_id, "Google")),
            winner=row.winner,
            losing=row.losing,
            winning=row.winning,
        )
        for row, login in rows
    ]
