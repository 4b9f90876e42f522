"""API: the Google account of a Google tab: state, link start, calendars, calendar, removal.

Linking needs a person at a browser: ``POST …/link`` answers Google's sign-in address; after
Allow, Google sends the browser to this application's callback page, which finishes the link
for the studiosync user logged in there (that user, or an administrator).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated

from fastapi import Depends, Path, Request
from sqlalchemy.orm import Session

from studiosync.accounts.calendars import select_calendar
from studiosync.accounts.endpoints import google_endpoints
from studiosync.accounts.linking import begin_link, unlink
from studiosync.accounts.models import AccountStatus, GoogleAccount
from studiosync.context import Studio
from studiosync.errors import AccessError, ErrorCode, StudioSyncError
from studiosync.providers.base import CalendarInfo
from studiosync.studio.google_options import google_settings
from studiosync.studio.models import User
from studiosync.studio.validation import find_user
from studiosync.web.account_section import fetch_calendars, populate_progress
from studiosync.web.api.common import api_router
from studiosync.web.api.sync_schemas import (
    AccountOut,
    AccountState,
    CalendarChoice,
    CalendarOut,
    CalendarsOut,
    LinkStartOut,
    RemovedOut,
)
from studiosync.web.deps import ApiUser, Db, StudioDep, is_admin, release
from studiosync.web.forms import MAX_ID

router = api_router("", "Google account", admin=False)
UserId = Annotated[int, Path(ge=1, le=MAX_ID)]
STATES: dict[AccountStatus, AccountState] = {
    AccountStatus.LINKED: "linked",
    AccountStatus.NEEDS_REAUTH: "needs_reauth",
}


def _owner(db: Session, me: User, user_id: int | None) -> User:
    """Oneself, or (administrators only) the user named."""
    if user_id is None or user_id == me.id:
        return me
    if not is_admin(me):
        raise AccessError(ErrorCode.NOT_YOUR_ACCOUNT, what="another user's Google account")
    return find_user(db, user_id)


def owner_in_path(db: Db, me: ApiUser, user_id: UserId) -> User:
    """The user named in the address, checked before anything else of the request is read."""
    return _owner(db, me, user_id)


Owner = Annotated[User, Depends(owner_in_path)]


def _account(db: Session, user: User) -> AccountOut:
    tab = google_settings(db, user.id)
    account = db.get(GoogleAccount, user.id)
    progress = populate_progress(db, tab)
    return AccountOut(
        user_id=user.id,
        login=user.login,
        status=STATES[account.status] if account else "not_linked",
        google_email=account.google_email if account else None,
        calendar_id=tab.calendar_id,
        populate_google=tab.populate_google,
        populate_studio=tab.populate_studio,
        appointments=progress.total,
        not_in_google=progress.unsynced,
    )


def _link(request: Request, db: Session, studio: Studio, user: User) -> LinkStartOut:
    redirect_uri = str(request.url_for("google_callback"))
    start = begin_link(db, studio.box, google_endpoints(studio.settings), user.id, redirect_uri)
    return LinkStartOut(url=start.url, state=start.state, redirect_uri=redirect_uri)


def _calendars(db: Session, studio: Studio, user: User) -> CalendarsOut:
    user_id = user.id
    account = db.get(GoogleAccount, user_id)
    tab = google_settings(db, user_id)
    if account is None:
        return CalendarsOut(google_email=None, calendar_id=tab.calendar_id, calendars=[])
    email, chosen = account.google_email, tab.calendar_id
    release(db)
    found = fetch_calendars(studio, user_id)
    if isinstance(found, StudioSyncError):
        raise found
    return CalendarsOut(
        google_email=email, calendar_id=chosen, calendars=calendar_rows(found, chosen)
    )


def calendar_rows(found: Sequence[CalendarInfo], chosen: str | None) -> list[CalendarOut]:
    """An account's calendars as the API answers them, the chosen one marked."""
    return [
        CalendarOut(
            id=c.id,
            summary=c.summary,
            access_role=c.access_role,
            primary=c.primary,
            writable=c.writable,
            selected=c.id == chosen,
        )
        for c in found
    ]


def _choose(db: Session, studio: Studio, user: User, body: CalendarChoice) -> CalendarsOut:
    user_id = user.id
    release(db)
    select_calendar(studio, google_endpoints(studio.settings), user_id, body.calendar.strip())
    return _calendars(db, studio, user)


def _remove(db: Session, studio: Studio, user: User) -> RemovedOut:
    return RemovedOut(
        removed=unlink(db, studio.box, google_endpoints(studio.settings), user.id, studio=studio)
    )


@router.get("/google/account")
def my_google_account(db: Db, me: ApiUser) -> AccountOut:
    return _account(db, me)


@router.get("/users/{user_id}/google/account")
def users_google_account(db: Db, owner: Owner) -> AccountOut:
    return _account(db, owner)


@router.post("/google/link")
def start_my_link(request: Request, db: Db, me: ApiUser, studio: StudioDep) -> LinkStartOut:
    """Authenticate My Google Account: the sign-in address, with state and PKCE."""
    return _link(request, db, studio, me)


@router.post("/users/{user_id}/google/link")
def start_users_link(request: Request, db: Db, studio: StudioDep, owner: Owner) -> LinkStartOut:
    return _link(request, db, studio, owner)


@router.get("/google/calendars")
def my_calendars(db: Db, me: ApiUser, studio: StudioDep) -> CalendarsOut:
    """The linked account's calendar list, asked of Google now; writable ones can be chosen."""
    return _calendars(db, studio, me)


@router.get("/users/{user_id}/google/calendars")
def users_calendars(db: Db, studio: StudioDep, owner: Owner) -> CalendarsOut:
    return _calendars(db, studio, owner)


@router.put("/google/calendar")
def choose_my_calendar(
    db: Db, me: ApiUser, studio: StudioDep, body: CalendarChoice
) -> CalendarsOut:
    """Choose the calendar to sync with: it must exist in the account and be writable."""
    return _choose(db, studio, me, body)


@router.put("/users/{user_id}/google/calendar")
def choose_users_calendar(
    db: Db, studio: StudioDep, owner: Owner, body: CalendarChoice
) -> CalendarsOut:
    return _choose(db, studio, owner, body)


@router.delete("/google/account")
def remove_my_account(db: Db, me: ApiUser, studio: StudioDep) -> RemovedOut:
    """Remove My Google Account: revoked at Google, forgotten here with the calendar choice."""
    return _remove(db, studio, me)


@router.delete("/users/{user_id}/google/account")
def remove_users_account(db: Db, studio: StudioDep, owner: Owner) -> RemovedOut:
    return _remove(db, studio, owner)
