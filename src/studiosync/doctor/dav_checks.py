"""The troubleshooter's checks of a user connected to a CalDAV server (iCloud, Fastmail...).

They stand in for the Google checks of the same name: the account, the sign-in, the calendar,
and one more, whether the server can say what changed (sync-collection) or is read slowly.
"""

from __future__ import annotations

from studiosync.accounts.connections import service_at
from studiosync.accounts.dav_linking import dav_provider, shown_account
from studiosync.accounts.models import AccountStatus, DavAccount
from studiosync.doctor.findings import Finding, failed, from_error, hint, passed, warned
from studiosync.doctor.user_checks import UserScope, role_words
from studiosync.errors import ErrorCode, StudioSyncError
from studiosync.studio.models import User
from studiosync.wording.clean import clean_name

TITLES = {
    "account_unique": "No other user is connected to the same account",
    "authenticated": "The calendar server accepts the account's sign-in",
    "calendar": "An existing, writable calendar is selected",
    "changes": "The calendar server says what changed since the last run",
}


def _account(scope: UserScope) -> DavAccount | None:
    with scope.studio.transaction() as session:
        row = session.get(DavAccount, scope.user_id)
        if row is not None:
            session.expunge(row)
        return row


def check_account_unique(scope: UserScope) -> Finding:
    """One account per user is kept by the database itself; this says whose it is."""
    row = _account(scope)
    if row is None:
        return passed("account_unique", TITLES["account_unique"], "no account connected yet")
    shown = shown_account(row.username, row.server_url)
    return passed("account_unique", TITLES["account_unique"], f"{shown} is this user's alone")


def check_authenticated(scope: UserScope) -> Finding:
    title = TITLES["authenticated"]
    row = _account(scope)
    if row is None:
        return failed(
            "authenticated", title, ErrorCode.DAV_NOT_LINKED, scope.screen, user=scope.login
        )
    params = {"user": scope.login, "server": row.server_url}
    if row.status is AccountStatus.NEEDS_REAUTH:
        reason = row.last_error_code or "the stored password was refused"
        return failed(
            "authenticated", title, ErrorCode.DAV_AUTH_FAILED, scope.screen, **params, reason=reason
        )
    shown = shown_account(row.username, row.server_url)
    if not scope.live:
        return passed("authenticated", title, f"connected to {shown} (not tested)")
    calendars = scope.calendars()
    if isinstance(calendars, StudioSyncError):
        calendars.params.setdefault("server", row.server_url)
        return from_error("authenticated", title, calendars, scope.screen)
    return passed(
        "authenticated",
        title,
        f"{shown}: {service_at(row.server_url)} accepted the sign-in just now",
    )


def check_calendar(scope: UserScope) -> Finding:
    title = TITLES["calendar"]
    chosen = scope.tab.calendar_id
    if not chosen:
        return failed(
            "calendar", title, ErrorCode.DAV_CALENDAR_NOT_SELECTED, scope.screen, user=scope.login
        )
    if not scope.live:
        return passed("calendar", title, "a calendar is chosen (not tested)")
    calendars = scope.calendars()
    if isinstance(calendars, StudioSyncError):
        return from_error("calendar", title, calendars, scope.screen)
    found = next((c for c in calendars if c.id == chosen), None)
    if found is None:
        return failed(
            "calendar",
            title,
            ErrorCode.DAV_CALENDAR_GONE,
            scope.screen,
            user=scope.login,
            calendar=chosen,
        )
    if not found.writable:
        return failed(
            "calendar",
            title,
            ErrorCode.DAV_READ_ONLY,
            scope.screen,
            user=scope.login,
            calendar=found.summary,
        )
    return passed("calendar", title, f'"{clean_name(found.summary)}", {role_words(found)}')


def check_changes(scope: UserScope) -> Finding:
    """A server without sync-collection still syncs, by comparing every event's version."""
    title = TITLES["changes"]
    chosen = scope.tab.calendar_id
    if not scope.live or not chosen:
        return hint("changes", title, "Asked of the server once a calendar is chosen.")
    try:
        with scope.studio.transaction() as session:
            user = session.get(User, scope.user_id)
            assert user is not None
            provider = dav_provider(session, scope.studio, scope.user_id, user.login)
        fast = provider.answers_changes(chosen)
    except StudioSyncError as error:
        return from_error("changes", title, error, scope.screen)
    if fast:
        return passed("changes", title, "each run asks only for what changed (sync-collection)")
    server = _account(scope)
    return warned(
        "changes",
        title,
        ErrorCode.DAV_NO_SYNC_COLLECTION,
        scope.screen,
        server=server.server_url if server else "",
    )
