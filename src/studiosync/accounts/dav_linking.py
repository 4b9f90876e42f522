"""Connect a user to a CalDAV/CardDAV account (iCloud, Fastmail, Nextcloud...), and sign in.

Linking finds the account from the server address (well-known URI, principal, calendar home)
with the user name and password given, before anything is stored: a wrong password or address
is refused with nothing kept. The password is kept encrypted; iCloud accepts only an
app-specific password.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from sqlalchemy.orm import Session

from studiosync.accounts.connections import (
    drop_connection,
    ensure_no_other_kind,
    record_connection,
    syncing_user,
)
from studiosync.accounts.models import AccountStatus, ConnectionKind, DavAccount
from studiosync.context import Studio
from studiosync.errors import AuthError, ErrorCode, InputError, ProviderError
from studiosync.providers.caldav.discovery import Account, discover
from studiosync.providers.caldav.http import DavHttp
from studiosync.providers.caldav.provider import CalDavProvider


@dataclass(frozen=True)
class DavLink:
    """A linked CalDAV account as the screens show it."""

    user: str
    username: str
    server: str
    principal_url: str
    has_addressbook: bool


def shown_account(username: str, server_url: str) -> str:
    """The account in words: ``maya@example.com at caldav.icloud.com``."""
    return f"{username} at {urlsplit(server_url).netloc or server_url}"


def _server_address(server_url: str) -> str:
    address = server_url.strip()
    if "://" not in address and address:
        address = "https://" + address  # "caldav.icloud.com" as people type it
    parts = urlsplit(address)
    if parts.scheme not in ("http", "https") or not parts.netloc or " " in address:
        raise InputError(ErrorCode.DAV_BAD_ADDRESS, field="server", server=server_url)
    return address


def _verify(studio: Studio) -> bool | str:
    return studio.settings.dav_ca_bundle or True


def link_dav(
    studio: Studio, user_key: str | int, server_url: str, username: str, password: str
) -> DavLink:
    """Find the account at ``server_url`` with these credentials and connect the user to it.

    Raises what went wrong (bad address, unreachable, refused sign-in, not a CalDAV server,
    another user's account, a Google connection still in place) with nothing stored.
    """
    address = _server_address(server_url)
    if not username.strip():
        raise InputError(ErrorCode.FIELD_REQUIRED, field="username")
    if not password:
        raise InputError(ErrorCode.FIELD_REQUIRED, field="password")
    with studio.transaction() as session:
        user = syncing_user(session, user_key)
        ensure_no_other_kind(session, user, ConnectionKind.CALDAV)
        login = user.login
    http = DavHttp(username.strip(), password, verify=_verify(studio))
    try:
        found = discover(http, address)
    except ProviderError as error:
        error.params.setdefault("user", login)
        raise
    with studio.transaction() as session:
        user = syncing_user(session, user_key)
        shown = shown_account(username.strip(), address)
        record_connection(session, user, ConnectionKind.CALDAV, found.principal, shown=shown)
        row = session.get(DavAccount, user.id) or DavAccount(user_id=user.id)
        row.server_url = address
        row.username = username.strip()
        row.password_encrypted = studio.box.encrypt(password)
        row.principal_url = found.principal
        row.calendar_home = found.calendar_home
        row.addressbook_home = found.addressbook_home
        row.status = AccountStatus.LINKED
        row.last_error_code = None
        session.add(row)
        return DavLink(
            login, row.username, address, found.principal, found.addressbook_home is not None
        )


def dav_link_of(session: Session, user_id: int) -> DavLink | None:
    row = session.get(DavAccount, user_id)
    if row is None:
        return None
    return DavLink(
        row.user.login,
        row.username,
        row.server_url,
        row.principal_url,
        row.addressbook_home is not None,
    )


def unlink_dav(session: Session, user_key: str | int) -> str:
    """Forget the user's CalDAV account, its password, calendar choice and sync state.

    Answers the account in words. Nothing is deleted on the server.
    """
    user = syncing_user(session, user_key)
    row = session.get(DavAccount, user.id)
    if row is None:
        raise AuthError(ErrorCode.DAV_NOT_LINKED, user=user.login)
    shown = shown_account(row.username, row.server_url)
    session.delete(row)
    drop_connection(session, user.id)
    session.flush()
    return shown


def dav_provider(session: Session, studio: Studio, user_id: int, login: str) -> CalDavProvider:
    """A CalDAV provider signed in as the user; a sign-in the server refused stays refused
    until the password is entered again."""
    row = session.get(DavAccount, user_id)
    if row is None:
        raise AuthError(ErrorCode.DAV_NOT_LINKED, user=login)
    if row.status is AccountStatus.NEEDS_REAUTH:
        raise AuthError(
            ErrorCode.DAV_AUTH_FAILED,
            user=login,
            server=row.server_url,
            reason=row.last_error_code or "the stored password was refused",
        )
    http = DavHttp(row.username, studio.box.decrypt(row.password_encrypted), verify=_verify(studio))
    account = Account(row.principal_url, row.calendar_home, row.addressbook_home)
    return CalDavProvider(http, account)


def mark_refused(session: Session, user_id: int, reason: str) -> None:
    """The server refused the stored password: runs stop asking until it is entered again."""
    row = session.get(DavAccount, user_id)
    if row is not None:
        row.status = AccountStatus.NEEDS_REAUTH
        row.last_error_code = reason[:64]
