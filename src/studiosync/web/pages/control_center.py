"""Pages: Utilities > Control Center (administrators): the jobs and the computers that run them.

"Run now" marks the job due, as `studiosync job run-now` does: the processor on the chosen
computer starts the round at its next check (every few seconds). The web server never runs a
round itself, so the rule "the chosen computer runs the job" holds for manual runs too.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Path, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from studiosync.clock import SystemClock
from studiosync.control import jobs
from studiosync.control.computers import find_computer, is_online, list_computers
from studiosync.control.models import ANY_COMPUTER
from studiosync.errors import StudioSyncError
from studiosync.web.control_views import computer_choices, computer_rows, job_panels
from studiosync.web.deps import AdminUser, Db, page_admin
from studiosync.web.problems import FormProblems, status_for
from studiosync.web.templating import notice, redirect, render

router = APIRouter(
    prefix="/control-center",
    tags=["pages: Control Center"],
    include_in_schema=False,
    dependencies=[Depends(page_admin)],
)
JobKey = Annotated[str, Path(max_length=64)]
FIELDS = frozenset({"schedule", "computer", "job"})
SET_UP = "/preferences/google-setup"
clock = SystemClock()


def _page(
    request: Request,
    db: Session,
    *,
    error: StudioSyncError | None = None,
    job_key: str = "",
    typed: dict[str, str] | None = None,
) -> Response:
    now = clock.now()
    panels = job_panels(db, now)
    context: dict[str, Any] = {
        "area": "control",
        "tab": "jobs",
        "panels": panels,
        "choices": {panel.key: computer_choices(db, panel) for panel in panels},
        "computers": computer_rows(db, now),
        "problem_job": job_key,
        "typed": typed or {},
        "any_computer": ANY_COMPUTER,
        "problems": FormProblems.of(error, FIELDS) if error else FormProblems.none(),
    }
    status = status_for(error) if error else 200
    return render(request, "control/jobs.html", status_code=status, **context)


def _refused(
    request: Request, db: Session, error: StudioSyncError, key: str, **typed: str
) -> Response:
    db.rollback()
    return _page(request, db, error=error, job_key=key, typed=typed)


@router.get("/jobs")
def control_center(request: Request, db: Db, me: AdminUser) -> Response:
    return _page(request, db)


@router.post("/jobs/{job_key}/enable")
def enable_job(
    request: Request,
    db: Db,
    me: AdminUser,
    job_key: JobKey,
    back: Annotated[str, Form(max_length=300)] = "",
) -> Response:
    """Enable the job; back to the guided set-up when enabled from there."""
    try:
        job = jobs.enable(db, clock.now(), job_key)
    except StudioSyncError as error:
        return _refused(request, db, error, job_key)
    notice(request, f"The {job.name} job is enabled; it runs at once, then on its schedule.")
    return redirect(back if _is_set_up_page(back) else "/control-center/jobs")


def _is_set_up_page(path: str) -> bool:
    """Only the guided set-up pages of this site are a place to come back to."""
    return path == SET_UP or (path.startswith(SET_UP + "/") and path[len(SET_UP) + 1 :].isalnum())


@router.post("/jobs/{job_key}/disable")
def disable_job(request: Request, db: Db, me: AdminUser, job_key: JobKey) -> Response:
    try:
        job = jobs.disable(db, job_key)
    except StudioSyncError as error:
        return _refused(request, db, error, job_key)
    notice(request, f"The {job.name} job is disabled: nothing syncs until it is enabled again.")
    return redirect("/control-center/jobs")


@router.post("/jobs/{job_key}/schedule")
def change_schedule(
    request: Request,
    db: Db,
    me: AdminUser,
    job_key: JobKey,
    schedule: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    try:
        job = jobs.set_schedule(db, schedule, clock.now(), job_key)
        words = jobs.job_schedule(job).describe(jobs.studio_zone(db))
    except StudioSyncError as error:
        return _refused(request, db, error, job_key, schedule=schedule)
    notice(request, f"The {job.name} job now runs: {words}.")
    return redirect("/control-center/jobs")


@router.post("/jobs/{job_key}/computer")
def choose_computer(
    request: Request,
    db: Db,
    me: AdminUser,
    job_key: JobKey,
    computer: Annotated[str, Form(max_length=255)] = "",
) -> Response:
    try:
        job = jobs.set_computer(db, computer, job_key)
    except StudioSyncError as error:
        return _refused(request, db, error, job_key, computer=computer)
    where = "any computer that runs a processor" if job.computer == ANY_COMPUTER else job.computer
    notice(request, f"The {job.name} job runs on {where}.")
    return redirect("/control-center/jobs")


@router.post("/jobs/{job_key}/run-now")
def run_now(request: Request, db: Db, me: AdminUser, job_key: JobKey) -> Response:
    """Mark the job due: the processor on its computer starts a round within a few seconds."""
    now = clock.now()
    try:
        job = jobs.run_now(db, now, job_key)
    except StudioSyncError as error:
        return _refused(request, db, error, job_key)
    designated = job.computer or ""
    if designated == ANY_COMPUTER:
        online = [row.name for row in list_computers(db) if is_online(row, now)]
        where = f"a computer running a processor ({', '.join(online) or 'none is online now'})"
    else:
        row = find_computer(db, designated)
        state = "online" if row is not None and is_online(row, now) else "not online now"
        where = f"{designated} ({state})"
    notice(
        request,
        f"The {job.name} job is due now: the processor on {where} starts it at its next check, "
        "within a few seconds. See it under Run history.",
    )
    return redirect("/control-center/jobs")
