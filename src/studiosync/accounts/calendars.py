"""A linked account's calendars, and choosing the one existing, writable calendar to sync with."""

from __future__ import annotations

from sqlalchemy.orm import Session

from studiosync.accounts.connections import connection_of
from studiosync.accounts.credentials import credentials_for, linked_account
from studiosync.accounts.dav_linking import dav_provider
from studiosync.accounts.endpoints import GoogleEndpoints
from studiosync.accounts.models import ConnectionKind
from studiosync.context import Studio
from studiosync.errors import ErrorCode, InputError
from studiosync.providers.base import CalendarInfo, Provider
from studiosync.providers.google.provider import GoogleProvider, connect
from studiosync.studio import validation as check
from studiosync.studio.google_options import google_settings
from studiosync.studio.models import User
from studiosync.syncstate.store import forget_calendar


def provider_for(
    session: Session, studio: Studio, endpoints: GoogleEndpoints, user: User
) -> Provider:
    """A provider signed in to the user's connection: CalDAV, or Google (the default)."""
    held = connection_of(session, user.id)
    if held is not None and held.kind is ConnectionKind.CALDAV:
        return dav_provider(session, studio, user.id, user.login)
    return google_provider_for(session, studio, endpoints, user)


def google_provider_for(
    session: Session, studio: Studio, endpoints: GoogleEndpoints, user: User
) -> GoogleProvider:
    """A Google provider signed in as the user (their token refreshed if it had gone stale)."""
    account = linked_account(session, user)  # held, so credentials_for finds it in the session
    credentials = credentials_for(session, studio.box, endpoints, user)
    return connect(
        credentials,
        endpoints.api_base if endpoints.sandbox else None,
        account=account.google_email,
        user=user.login,
    )


def list_calendars(
    studio: Studio, endpoints: GoogleEndpoints, user_key: str | int
) -> list[CalendarInfo]:
    """The calendars of the user's Google account (the refresh, if any, is saved)."""
    with studio.transaction() as session:
        user = check.find_user(session, user_key)
        provider = provider_for(session, studio, endpoints, user)
    return provider.list_calendars()


def select_calendar(
    studio: Studio, endpoints: GoogleEndpoints, user_key: str | int, calendar: str
) -> CalendarInfo:
    """Choose the calendar to sync with, by id or name: it must exist and be writable."""
    calendars = list_calendars(studio, endpoints, user_key)
    chosen = next((c for c in calendars if c.id == calendar), None) or next(
        (c for c in calendars if c.summary == calendar), None
    )
    with studio.transaction() as session:
        user = check.find_user(session, user_key)
        held = connection_of(session, user.id)
        dav = held is not None and held.kind is ConnectionKind.CALDAV
        if chosen is None:
            raise InputError(
                ErrorCode.DAV_CALENDAR_GONE if dav else ErrorCode.GOOGLE_CALENDAR_NOT_FOUND,
                field="calendar",
                user=user.login,
                calendar=calendar,
            )
        if not chosen.writable:
            raise InputError(
                ErrorCode.DAV_READ_ONLY if dav else ErrorCode.GOOGLE_CALENDAR_READ_ONLY,
                field="calendar",
                user=user.login,
                calendar=chosen.summary,
                access_role=chosen.access_role,
            )
        options = google_settings(session, user.id)
        if options.calendar_id not in (None, chosen.id):
            forget_calendar(session, user.id)  # the old calendar's links mean nothing here
        options.calendar_id = chosen.id
    return chosen
