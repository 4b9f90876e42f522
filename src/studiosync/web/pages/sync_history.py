"""Pages: the Control Center's history: rounds, one round, the log, and the conflict log.

Administrators see everyone's; any other user sees only their own (403 for anyone else's).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from studiosync.control import history, jobs, roundlog, views
from studiosync.errors import ErrorCode, InputError
from studiosync.studio.models import User
from studiosync.studio.people import list_users
from studiosync.web.control_views import (
    conflict_rows,
    duration,
    history_user,
    user_runs,
    visible_run,
)
from studiosync.web.deps import CurrentUser, Db, is_admin, page_user
from studiosync.web.forms import MAX_ID
from studiosync.web.templating import render

router = APIRouter(
    prefix="/control-center",
    tags=["pages: Control Center history"],
    include_in_schema=False,
    dependencies=[Depends(page_user)],
)
RunId = Annotated[int, Path(ge=1, le=MAX_ID)]
Key = Annotated[str, Query(max_length=64)]
ROUNDS_SHOWN = 20
LEVEL_WORDS = {"info": "Everything", "warning": "Warnings and errors", "error": "Errors only"}


def run_number(text: str) -> int | None:
    value = text.strip()
    if not value:
        return None
    if not (value.isascii() and value.isdigit()) or not 1 <= int(value) <= MAX_ID:
        raise InputError(
            ErrorCode.INVALID_VALUE, field="run", value=value[:40], reason="give a run number"
        )
    return int(value)


def level_of(text: str) -> str:
    value = text.strip().lower() or "info"
    if value not in history.LEVELS:
        raise InputError(
            ErrorCode.INVALID_VALUE,
            field="level",
            value=text[:40],
            reason="choose info, warning or error",
        )
    return value


def _log(db: Session, rounds: list[roundlog.RoundLog]) -> dict[str, Any]:
    """The rounds to show and the display names of the users in them."""
    logins = {part.login for one in rounds for part in one.parts if part.login}
    found = db.execute(select(User.login, User.display_name).where(User.login.in_(logins)))
    return {"rounds": rounds, "names": {login: name or login for login, name in found}}


def _context(db: Session, me: User, tab: str, **more: Any) -> dict[str, Any]:
    people = list_users(db) if is_admin(me) else []
    return {"area": "control" if is_admin(me) else "sync-log", "tab": tab, "people": people, **more}


@router.get("/runs")
def run_history(request: Request, db: Db, me: CurrentUser, user: Key = "") -> Response:
    """Administrators: the latest rounds (or one user's runs); others: their own runs."""
    person = history_user(db, me, user)
    zone = jobs.studio_zone(db)
    rounds = history.recent_runs(db, 50) if person is None else []
    return render(
        request,
        "control/runs.html",
        rounds=rounds,
        mine=user_runs(db, user_id=person.id) if person is not None else [],
        person=person,
        when=lambda moment: views.when(moment, zone),
        duration=duration,
        **_context(db, me, "runs"),
    )


@router.get("/runs/{run_id}")
def one_run(request: Request, db: Db, me: CurrentUser, run_id: RunId) -> Response:
    """A round: its users (a user sees only their own part) and its log lines."""
    run = visible_run(db, me, run_id)
    zone = jobs.studio_zone(db)
    only = None if is_admin(me) else me.id
    return render(
        request,
        "control/run.html",
        run=run,
        started=views.when(run.started_at, zone),
        finished=views.when(run.finished_at, zone),
        took=duration(run.duration_seconds),
        users=user_runs(db, run_id=run.id, user_id=only, limit=1000),
        **_log(db, roundlog.read_rounds(db, run_id=run.id, user_id=only, rounds=1)),
        when=lambda moment: views.when(moment, zone),
        **_context(db, me, "runs"),
    )


@router.get("/logs")
def log_viewer(
    request: Request,
    db: Db,
    me: CurrentUser,
    user: Key = "",
    level: Annotated[str, Query(max_length=20)] = "info",
    run: Annotated[str, Query(max_length=20)] = "",
) -> Response:
    """The log by round, the newest 20 first, filtered by user, level and run, each worded."""
    person = history_user(db, me, user)
    chosen_level = level_of(level)
    run_id = run_number(run)
    if run_id is not None:
        visible_run(db, me, run_id)
    zone = jobs.studio_zone(db)
    rounds = roundlog.read_rounds(
        db,
        user_id=person.id if person else None,
        level=chosen_level,
        run_id=run_id,
        rounds=ROUNDS_SHOWN,
    )
    return render(
        request,
        "control/logs.html",
        **_log(db, rounds),
        shown=ROUNDS_SHOWN,
        person=person,
        level=chosen_level,
        levels=LEVEL_WORDS,
        run=run_id,
        when=lambda moment: views.when(moment, zone),
        **_context(db, me, "logs"),
    )


@router.get("/conflicts")
def conflict_log(request: Request, db: Db, me: CurrentUser, user: Key = "") -> Response:
    """Every version that lost a conflict, kept in full."""
    person = history_user(db, me, user)
    return render(
        request,
        "control/conflicts.html",
        conflicts=conflict_rows(db, user_id=person.id if person else None),
        person=person,
        **_context(db, me, "conflicts"),
    )
