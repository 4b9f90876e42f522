"""The account section of a Google tab: the Google or CalDAV account, its state, calendars and
progress."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import Request
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from studiosync.accounts.calendars import list_calendars
from studiosync.accounts.connections import connection_of, service_at
from studiosync.accounts.credentials import credentials_for
from studiosync.accounts.dav_linking import shown_account
from studiosync.accounts.endpoints import google_endpoints
from studiosync.accounts.models import AccountStatus, ConnectionKind, DavAccount, GoogleAccount
from studiosync.context import Studio
from studiosync.doctor.catalogue import Surface, explain_code
from studiosync.errors import ErrorCode, StudioSyncError
from studiosync.providers.base import CalendarInfo
from studiosync.studio.google_options import google_settings
from studiosync.studio.models import (
    Appointment,
    AppointmentStatus,
    Assignment,
    GoogleSettings,
    User,
)
from studiosync.syncstate.models import SyncMapping
from studiosync.web.deps import release
from studiosync.web.problems import Shown, shown

PROBLEM_KEY = "google_problem"
ROLE_WORDS = {
    "owner": "you own it",
    "writer": "you may change it",
    "reader": "read-only: you may only see its events",
    "freeBusyReader": "read-only: you may only see when it is busy",
}


@dataclass(frozen=True)
class CalendarChoice:
    """One calendar of the account, as the drop-down shows it."""

    id: str
    summary: str
    access_role: str
    primary: bool
    writable: bool
    selected: bool

    @property
    def words(self) -> str:
        role = ROLE_WORDS.get(self.access_role, self.access_role)
        return f"{self.summary}{' (primary)' if self.primary else ''} — {role}"


@dataclass(frozen=True)
class Progress:
    """How far the back-fill of older appointments is (the Populate boxes)."""

    populate_google: bool
    populate_studio: bool
    unsynced: int
    total: int


@dataclass(frozen=True)
class DavShown:
    """A connected CalDAV account as the section shows it (never its password)."""

    account: str
    service: str
    server: str
    username: str
    refused: bool


@dataclass(frozen=True)
class AccountSection:
    """Everything the section shows; ``problem`` is what the last account action ran into."""

    google_email: str | None
    needs_reauth: bool
    reauth_title: str
    reauth_cause: str
    reauth_fix: str
    calendar_id: str | None
    calendars: tuple[CalendarChoice, ...]
    calendars_problem: Shown | None
    problem: Shown | None
    progress: Progress
    dav: DavShown | None = None

    @property
    def linked(self) -> bool:
        return self.google_email is not None

    @property
    def service(self) -> str:
        """The calendar service the user syncs with, as the page names it."""
        return self.dav.service if self.dav else "Google"

    @property
    def chosen(self) -> CalendarChoice | None:
        return next((c for c in self.calendars if c.selected), None)

    @property
    def writable_count(self) -> int:
        return sum(1 for c in self.calendars if c.writable)


def keep_problem(request: Request, error: StudioSyncError) -> None:
    """Remember what an account action ran into, to show it on the tab it returns to."""
    worded = shown(error)
    request.session[PROBLEM_KEY] = {
        "code": worded.code,
        "title": worded.title,
        "message": worded.message,
        "fix": worded.fix,
        "field": worded.field,
    }


def take_problem(request: Request) -> Shown | None:
    kept: Any = request.session.pop(PROBLEM_KEY, None)
    if not isinstance(kept, dict):
        return None
    try:
        return Shown(**kept)
    except TypeError:
        return None


def signed_in(studio: Studio, user_id: int) -> StudioSyncError | None:
    """Make sure the stored sign-in works (refreshed if stale); a refusal is kept as a mark.

    The re-authentication mark is written inside this transaction, which ends normally, so
    the tab shows "needs re-authentication" from now on.
    """
    with studio.transaction() as session:
        user = session.get(User, user_id)
        if user is None or session.get(GoogleAccount, user_id) is None:
            return None
        try:
            credentials_for(session, studio.box, google_endpoints(studio.settings), user)
        except StudioSyncError as error:
            return error
    return None


def fetch_calendars(studio: Studio, user_id: int) -> list[CalendarInfo] | StudioSyncError:
    """The account's calendar list from Google, or what stopped us getting it."""
    failure = signed_in(studio, user_id)
    if failure is not None:
        return failure
    try:
        return list_calendars(studio, google_endpoints(studio.settings), user_id)
    except StudioSyncError as error:
        return error


def populate_progress(db: Session, tab: GoogleSettings) -> Progress:
    """The user's live appointments, and how many of them are not in Google yet."""
    assigned = (
        select(func.count())
        .select_from(Appointment)
        .join(Assignment)
        .where(
            Assignment.user_id == tab.user_id,
            Appointment.status != AppointmentStatus.CANCELLED,
        )
    )
    mapped = select(SyncMapping.appointment_id).where(SyncMapping.user_id == tab.user_id)
    total = db.scalar(assigned) or 0
    unsynced = db.scalar(assigned.where(Appointment.id.not_in(mapped))) or 0
    return Progress(tab.populate_google, tab.populate_studio, unsynced, total)


def account_section(
    studio: Studio,
    db: Session,
    user_id: int,
    *,
    problem: Shown | None = None,
    live: bool = True,
) -> AccountSection:
    """The section for the tab's user; with ``live`` the calendar list is asked of Google.

    The request's transaction is ended before Google is asked and again after, so what the
    calls saved (a refreshed token, a re-authentication mark) is what the section shows.
    """
    calendars: list[CalendarInfo] = []
    calendars_problem: Shown | None = None
    release(db)
    account = db.get(GoogleAccount, user_id)
    dav = _dav_shown(db, user_id)
    usable = account is not None and account.status is AccountStatus.LINKED
    if live and (usable or (dav is not None and not dav.refused)):
        release(db)
        found = fetch_calendars(studio, user_id)
        if isinstance(found, StudioSyncError):
            calendars_problem = shown(found)
        else:
            calendars = found
        release(db)
        account = db.get(GoogleAccount, user_id)
    tab = google_settings(db, user_id)
    needs_reauth = account is not None and account.status is AccountStatus.NEEDS_REAUTH
    reauth = explain_code(
        ErrorCode.GOOGLE_REAUTH_NEEDED,
        Surface.WEB,
        None,
        google_email=account.google_email if account else "",
        reason=(account.last_error_code if account else None) or "sign-in refused",
        user=tab.user.login,
    )
    if needs_reauth and calendars_problem and calendars_problem.code == reauth.code.value:
        calendars_problem = None  # the prominent notice above says it already
    return AccountSection(
        google_email=account.google_email if account else None,
        needs_reauth=needs_reauth,
        reauth_title=reauth.title,
        reauth_cause=reauth.cause,
        reauth_fix=reauth.action,
        calendar_id=tab.calendar_id,
        calendars=tuple(
            CalendarChoice(
                c.id, c.summary, c.access_role, c.primary, c.writable, c.id == tab.calendar_id
            )
            for c in calendars
        ),
        calendars_problem=calendars_problem,
        problem=problem,
        progress=populate_progress(db, tab),
        dav=dav,
    )


def _dav_shown(db: Session, user_id: int) -> DavShown | None:
    held = connection_of(db, user_id)
    row = db.get(DavAccount, user_id)
    if held is None or held.kind is not ConnectionKind.CALDAV or row is None:
        return None
    return DavShown(
        account=shown_account(row.username, row.server_url),
        service=service_at(row.server_url),
        server=row.server_url,
        username=row.username,
        refused=row.status is AccountStatus.NEEDS_REAUTH,
    )
