"""Page: Utilities > Control Center, first screen: every user's Google Sync on one row each."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from studiosync.accounts.models import AccountStatus, GoogleAccount
from studiosync.clock import SystemClock
from studiosync.context import Studio
from studiosync.control.config import ControlSettings
from studiosync.control.models import UserRun
from studiosync.control.push_status import push_state
from studiosync.doctor.catalogue import Surface, explain_code
from studiosync.doctor.findings import Verdict
from studiosync.doctor.report import diagnose_user
from studiosync.errors import ErrorCode
from studiosync.studio.google_options import google_settings
from studiosync.studio.models import User
from studiosync.studio.people import list_users
from studiosync.studio.when import in_words
from studiosync.web.deps import AdminUser, Db, StudioDep, page_admin, release, studio_zone_of
from studiosync.web.templating import demo_outbox, render

router = APIRouter(
    prefix="/control-center",
    tags=["pages: Control Center"],
    include_in_schema=False,
    dependencies=[Depends(page_admin)],
)


@dataclass(frozen=True)
class UserRow:
    """One user's Google Sync at a glance."""

    login: str
    display_name: str
    status: str  # words
    tone: str  # ok | warn | off
    last_sync: str
    last_result: str
    problems: tuple[str, ...]
    from_google: str = ""  # how soon changes made in Google arrive, in words


def _status(enabled: bool, account: GoogleAccount | None, calendar: str | None) -> tuple[str, str]:
    if not enabled:
        return "Google Sync off", "off"
    if account is None:
        return "On, no Google account linked", "warn"
    if account.status is AccountStatus.NEEDS_REAUTH:
        return "On, needs authenticating again", "warn"
    if not calendar:
        return "On, no calendar selected", "warn"
    return f"Syncing with {account.google_email}", "ok"


def _from_google(db: Session, user: User, now: dt.datetime, public_url: str | None) -> str:
    state = push_state(db, user.id, user.login, now, public_url)
    if state.active:
        return "Within seconds (Google notifies the studio)"
    if state.problem is ErrorCode.PUSH_NO_PUBLIC_ADDRESS:
        return "At each scheduled run"
    assert state.problem is not None
    return f"At each scheduled run: {explain_code(state.problem, Surface.WEB).title.lower()}"


def overview_rows(studio: Studio, db: Session) -> list[UserRow]:
    """Each active user: status, last sync, and the troubleshooter's problems (no live calls)."""
    zone = studio_zone_of(db)
    latest = dict(
        db.execute(select(UserRun.user_id, func.max(UserRun.id)).group_by(UserRun.user_id)).all()
    )
    basics: list[tuple[User, str, str, str, str]] = []
    pushes: list[str] = []
    now, public_url = SystemClock().now(), ControlSettings().public_url  # read once
    for user in list_users(db, include_inactive=False):
        tab = google_settings(db, user.id)
        status, tone = _status(tab.enabled, db.get(GoogleAccount, user.id), tab.calendar_id)
        run = db.get(UserRun, latest[user.id]) if user.id in latest else None
        moment = run.finished_at or run.started_at if run else None
        last = in_words(moment, zone) if moment else "never"
        basics.append((user, status, tone, last, run.status if run else ""))
        pushes.append(_from_google(db, user, now, public_url) if tone == "ok" else "")
    people = [(u.id, u.login, u.display_name) for u, *_ in basics]
    release(db)
    rows: list[UserRow] = []
    for (user_id, login, name), (_u, status, tone, last, result), push in zip(
        people, basics, pushes, strict=True
    ):
        problems: tuple[str, ...] = ()
        if tone != "off":
            report = diagnose_user(studio, user_id, live=False)
            problems = tuple(
                f.title
                for f in report.findings
                if f.verdict in (Verdict.FAIL, Verdict.WARN)
                and f.check != "push"  # said in its own column
            )
        rows.append(UserRow(login, name, status, tone, last, result, problems, push))
    return rows


@router.get("")
def studio_overview(request: Request, db: Db, studio: StudioDep, me: AdminUser) -> Response:
    outbox = demo_outbox(request)
    return render(
        request,
        "control/overview.html",
        area="control",
        tab="overview",
        rows=overview_rows(studio, db),
        outbox=str(outbox) if outbox else None,
    )
