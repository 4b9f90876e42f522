"""API: a user's CalDAV account (iCloud, Fastmail, Nextcloud…): state, connect, calendars, removal.

The password goes in once, with ``PUT``; it is stored encrypted and never answered back.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from studiosync.accounts.calendars import list_calendars, select_calendar
from studiosync.accounts.connections import service_at
from studiosync.accounts.dav_linking import link_dav, shown_account, unlink_dav
from studiosync.accounts.endpoints import google_endpoints
from studiosync.accounts.models import AccountStatus, DavAccount
from studiosync.context import Studio
from studiosync.errors import InputError, ProviderError
from studiosync.studio.google_options import google_settings
from studiosync.studio.models import User
from studiosync.web.api.common import api_router
from studiosync.web.api.google_account import Owner, calendar_rows
from studiosync.web.api.schemas import Strict
from studiosync.web.api.sync_schemas import CalendarChoice, CalendarOut
from studiosync.web.deps import ApiUser, Db, StudioDep, release

router = api_router("", "CalDAV account", admin=False)
DavState = Literal["not_connected", "connected", "password_refused"]


class DavAccountOut(BaseModel):
    """A user's CalDAV account as the Google tab shows it (never the password)."""

    user_id: int
    login: str
    status: DavState
    service: str | None = Field(description="iCloud, Fastmail, Nextcloud or the server's name.")
    server: str | None
    username: str | None
    calendar_id: str | None


class DavConnectIn(Strict):
    server: Annotated[str, Field(min_length=1, max_length=500)] = Field(
        description="The CalDAV address, e.g. https://caldav.icloud.com."
    )
    username: Annotated[str, Field(min_length=1, max_length=320)]
    password: Annotated[str, Field(min_length=1, max_length=1024)] = Field(
        description="For iCloud an app-specific password (https://account.apple.com)."
    )


class DavCalendarsOut(BaseModel):
    calendar_id: str | None
    calendars: list[CalendarOut]


class DavRemovedOut(BaseModel):
    removed: str = Field(description="The account that was connected; nothing was deleted there.")


def _state(db: Session, user: User) -> DavAccountOut:
    row = db.get(DavAccount, user.id)
    chosen = google_settings(db, user.id).calendar_id
    if row is None:
        return DavAccountOut(
            user_id=user.id,
            login=user.login,
            status="not_connected",
            service=None,
            server=None,
            username=None,
            calendar_id=None,
        )
    refused = row.status is AccountStatus.NEEDS_REAUTH
    return DavAccountOut(
        user_id=user.id,
        login=user.login,
        status="password_refused" if refused else "connected",
        service=service_at(row.server_url),
        server=row.server_url,
        username=row.username,
        calendar_id=chosen,
    )


def _calendars(db: Session, studio: Studio, user: User) -> DavCalendarsOut:
    """The account's calendars; none while no CalDAV account is connected."""
    user_id = user.id
    if db.get(DavAccount, user_id) is None:
        return DavCalendarsOut(calendar_id=None, calendars=[])
    release(db)
    found = list_calendars(studio, google_endpoints(studio.settings), user_id)
    with studio.transaction() as session:
        chosen = google_settings(session, user_id).calendar_id
    return DavCalendarsOut(calendar_id=chosen, calendars=calendar_rows(found, chosen))


@router.get("/users/{user_id}/caldav")
def users_caldav(db: Db, owner: Owner) -> DavAccountOut:
    return _state(db, owner)


@router.get("/caldav")
def my_caldav(db: Db, me: ApiUser) -> DavAccountOut:
    return _state(db, me)


@router.put("/users/{user_id}/caldav")
def connect_users_caldav(
    db: Db, studio: StudioDep, owner: Owner, body: DavConnectIn
) -> DavAccountOut:
    """Connect the user; nothing is stored unless the server accepts the sign-in. Whatever the
    server answers is about the address and sign-in sent, so it is refused as such (422)."""
    user_id = owner.id
    release(db)
    try:
        link_dav(studio, user_id, body.server, body.username, body.password)
    except ProviderError as refused:
        raise InputError(refused.code, field="server", **refused.params) from refused
    return _state(db, owner)


@router.get("/users/{user_id}/caldav/calendars")
def users_caldav_calendars(db: Db, studio: StudioDep, owner: Owner) -> DavCalendarsOut:
    """The account's calendars that hold events (read-only ones cannot be chosen)."""
    return _calendars(db, studio, owner)


@router.put("/users/{user_id}/caldav/calendar")
def choose_users_caldav_calendar(
    db: Db, studio: StudioDep, owner: Owner, body: CalendarChoice
) -> DavCalendarsOut:
    user_id = owner.id
    release(db)
    select_calendar(studio, google_endpoints(studio.settings), user_id, body.calendar.strip())
    return _calendars(db, studio, owner)


@router.delete("/users/{user_id}/caldav")
def remove_users_caldav(db: Db, owner: Owner) -> DavRemovedOut:
    row = db.get(DavAccount, owner.id)
    shown = shown_account(row.username, row.server_url) if row else ""
    unlink_dav(db, owner.id)
    return DavRemovedOut(removed=shown)
