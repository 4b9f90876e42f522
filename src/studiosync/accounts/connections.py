"""A user's one connection to a calendar service: which kind, which account, and its rules.

The rules hold for every kind: only users (never resources) connect, a user has one connection,
and no two users share one account of the same service. A connection that changes account
forgets the sync state of the old one (its calendar's events mean nothing in the new account).
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from studiosync.accounts.models import Connection, ConnectionKind, DavAccount
from studiosync.errors import DuplicateError, ErrorCode, InputError
from studiosync.studio import validation as check
from studiosync.studio.google_options import google_settings
from studiosync.studio.models import User, utcnow
from studiosync.syncstate.store import forget_user

KIND_NAMES = {ConnectionKind.GOOGLE: "Google", ConnectionKind.CALDAV: "CalDAV"}
"""Each kind as the screens name it."""
UNLINK_COMMANDS = {
    ConnectionKind.GOOGLE: "studiosync google unlink {user}",
    ConnectionKind.CALDAV: "studiosync caldav unlink {user}",
}


KNOWN_SERVICES = {
    "icloud.com": "iCloud",
    "fastmail.com": "Fastmail",
    "fastmail.fm": "Fastmail",
}
"""CalDAV services people know by name, by the end of the server's host name."""


def service_at(server_url: str) -> str:
    """A CalDAV server as its users call it: iCloud, Fastmail, Nextcloud, or its host name."""
    parts = urlsplit(server_url)
    host = (parts.hostname or server_url).lower()
    for domain, name in KNOWN_SERVICES.items():
        if host == domain or host.endswith("." + domain):
            return name
    if "/remote.php/dav" in parts.path:
        return "Nextcloud"
    return host


def service_name(session: Session, user_id: int) -> str:
    """The calendar service the user syncs with, in words ("Google" unless connected to CalDAV)."""
    held = connection_of(session, user_id)
    if held is None or held.kind is ConnectionKind.GOOGLE:
        return "Google"
    row = session.get(DavAccount, user_id)
    return service_at(row.server_url) if row is not None else KIND_NAMES[held.kind]


def services_of(session: Session, user_ids: Iterable[int]) -> dict[int, str]:
    """``service_name`` of many users in one query (users not listed sync with Google)."""
    wanted = list(user_ids)
    if not wanted:
        return {}
    rows = session.execute(
        select(DavAccount.user_id, DavAccount.server_url)
        .join(Connection, Connection.user_id == DavAccount.user_id)
        .where(Connection.kind == ConnectionKind.CALDAV, DavAccount.user_id.in_(wanted))
    )
    return {user_id: service_at(server) for user_id, server in rows}


def connection_of(session: Session, user_id: int) -> Connection | None:
    return session.get(Connection, user_id)


def syncing_user(session: Session, key: str | int) -> User:
    """The user named by ``key``; a resource is refused (resources never sync)."""
    try:
        return check.find_user(session, key)
    except InputError as error:
        if error.code is ErrorCode.RESOURCE_NOT_USER:
            params = {k: v for k, v in error.params.items() if k != "field"}
            raise InputError(ErrorCode.RESOURCE_CANNOT_SYNC, field="user", **params) from error
        raise


def ensure_no_other_kind(session: Session, user: User, kind: ConnectionKind) -> None:
    """A user with a connection of another kind must remove it first (one connection each)."""
    held = connection_of(session, user.id)
    if held is not None and held.kind is not kind:
        raise InputError(
            ErrorCode.CONNECTION_OTHER_KIND,
            field="kind",
            user=user.login,
            linked=KIND_NAMES[held.kind],
            wanted=KIND_NAMES[kind],
            unlink=UNLINK_COMMANDS[held.kind].format(user=user.login),
        )


def holder_of(session: Session, kind: ConnectionKind, account: str, user: User) -> str | None:
    """The login of another user already connected to ``account`` of this kind, if any."""
    return session.scalar(
        select(User.login)
        .join(Connection, Connection.user_id == User.id)
        .where(Connection.kind == kind, Connection.account == account, User.id != user.id)
    )


def record_connection(
    session: Session, user: User, kind: ConnectionKind, account: str, *, shown: str
) -> Connection:
    """Keep the user's connection to ``account``; another account of theirs is replaced and
    the old one's sync state and calendar choice forgotten. ``shown`` names the account in
    the error when another user holds it."""
    ensure_no_other_kind(session, user, kind)
    other = holder_of(session, kind, account, user)
    if other is not None:
        code = (
            ErrorCode.GOOGLE_ACCOUNT_TAKEN
            if kind is ConnectionKind.GOOGLE
            else ErrorCode.DAV_ACCOUNT_TAKEN
        )
        raise DuplicateError(
            code,
            field="account",
            google_email=shown,
            account=shown,
            other=other,
            entity="user",
            value=shown,
        )
    held = connection_of(session, user.id)
    if held is not None and held.account != account:
        forget_user(session, user.id)
        google_settings(session, user.id).calendar_id = None
    held = held or Connection(user_id=user.id, kind=kind)
    held.account = account
    held.linked_at = utcnow()
    session.add(held)
    return held


def drop_connection(session: Session, user_id: int) -> None:
    """The user is no longer connected: their sync state and calendar choice go with it."""
    held = connection_of(session, user_id)
    if held is not None:
        session.delete(held)
    google_settings(session, user_id).calendar_id = None
    forget_user(session, user_id)
