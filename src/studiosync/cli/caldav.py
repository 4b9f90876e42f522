"""CLI: `studiosync caldav …`: connect a user to a CalDAV account (iCloud, Fastmail, Nextcloud…)."""

from typing import TYPE_CHECKING, Annotated

import typer

from studiosync.cli.common import console, done, studio, table, transaction

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from studiosync.accounts.models import DavAccount

caldav = typer.Typer(
    help="CalDAV sync: connect a user to iCloud, Fastmail, Nextcloud or any CalDAV server."
)
User = Annotated[str, typer.Argument(help="The user's login.")]
PASSWORD_VARIABLE = "STUDIOSYNC_DAV_PASSWORD"  # noqa: S105 - the variable's name


def register(app: typer.Typer) -> None:
    app.add_typer(caldav, name="caldav")


def _password(from_stdin: bool) -> str:
    """The account's password: standard input, the environment, or a hidden prompt."""
    import os
    import sys

    from studiosync.errors import ErrorCode, InputError

    if from_stdin:
        return sys.stdin.read().rstrip("\r\n")
    if os.environ.get(PASSWORD_VARIABLE):
        return os.environ[PASSWORD_VARIABLE]
    if not sys.stdin.isatty():
        raise InputError(ErrorCode.FIELD_REQUIRED, field="password")
    return str(typer.prompt("Password (for iCloud an app-specific password)", hide_input=True))


@caldav.command("link")
def link(
    user: User,
    server: Annotated[
        str,
        typer.Option(
            "--server",
            help="The CalDAV address, e.g. https://caldav.icloud.com, https://caldav.fastmail.com "
            "or https://cloud.example.com/remote.php/dav.",
        ),
    ],
    username: Annotated[
        str, typer.Option("--username", help="The account's user name (for iCloud the Apple ID).")
    ],
    password_stdin: Annotated[
        bool,
        typer.Option(
            "--password-stdin",
            help=f"Read the password from standard input (or set {PASSWORD_VARIABLE}); "
            "otherwise it is asked at a hidden prompt.",
        ),
    ] = False,
) -> None:
    """Connect the user to a CalDAV account; iCloud needs an app-specific password
    (https://account.apple.com > Sign-In and Security > App-Specific Passwords)."""
    from studiosync.accounts.dav_linking import link_dav, shown_account

    password = _password(password_stdin)
    with studio() as opened:
        linked = link_dav(opened, user, server, username, password)
    done(f"{user!r} is connected to {shown_account(linked.username, linked.server)}.")
    console.print(f"Next: choose a calendar with 'studiosync caldav calendars {user}'.")


@caldav.command("unlink")
def unlink(user: User) -> None:
    """Disconnect the user from their CalDAV account (nothing is deleted on the server)."""
    from studiosync.accounts.dav_linking import unlink_dav

    with transaction() as session:
        shown = unlink_dav(session, user)
    done(f"{user!r} is no longer connected to {shown}; nothing was deleted on the server.")


@caldav.command("calendars")
def calendars(user: User) -> None:
    """List the account's calendars that hold events, and which one the user syncs with."""
    from studiosync.accounts.calendars import list_calendars
    from studiosync.accounts.connections import service_name
    from studiosync.accounts.endpoints import google_endpoints
    from studiosync.studio.google_options import google_settings
    from studiosync.studio.validation import find_user

    with studio() as opened:
        with opened.transaction() as session:
            _dav_user(session, user)
        found = list_calendars(opened, google_endpoints(opened.settings), user)
        with opened.transaction() as session:
            selected = google_settings(session, user).calendar_id
            service = service_name(session, find_user(session, user).id)
    rows = [
        (
            "➜" if c.id == selected else "",
            c.summary,
            "yes" if c.writable else "no (read only)",
            c.id,
        )
        for c in found
    ]
    table(f"Calendars of {user} ({service})", ("", "Calendar", "Can sync", "Address"), rows)
    if not any(c.writable for c in found):
        console.print("None of these can be written: create a calendar in the account first.")


@caldav.command("select-calendar")
def select_calendar(
    user: User, calendar: Annotated[str, typer.Argument(help="The calendar's name or address.")]
) -> None:
    """Choose the existing, writable calendar the user syncs with."""
    from studiosync.accounts import calendars as choice
    from studiosync.accounts.endpoints import google_endpoints

    with studio() as opened:
        with opened.transaction() as session:
            _dav_user(session, user)
        chosen = choice.select_calendar(opened, google_endpoints(opened.settings), user, calendar)
    done(f"{user!r} now syncs with the calendar {chosen.summary!r}.")
    console.print(f"Sync options: 'studiosync google options {user} --help'.")


@caldav.command("show")
def show(user: User) -> None:
    """Show the user's CalDAV account and chosen calendar (never the password)."""
    from studiosync.accounts.calendars import list_calendars
    from studiosync.accounts.connections import service_at
    from studiosync.accounts.endpoints import google_endpoints
    from studiosync.accounts.models import AccountStatus
    from studiosync.errors import StudioSyncError
    from studiosync.studio.google_options import google_settings

    with studio() as opened:
        with opened.transaction() as session:
            row = _dav_user(session, user)
            server, username, refused = row.server_url, row.username, row.status
            contacts = row.addressbook_home is not None
            chosen = google_settings(session, user).calendar_id
        calendar = "— none selected —"
        if chosen:
            try:
                found = list_calendars(opened, google_endpoints(opened.settings), user)
                names = {c.id: c.summary for c in found}
                calendar = names.get(chosen, f"{chosen} (no longer on the server)")
            except StudioSyncError:
                calendar = f"{chosen} (the server cannot be asked its name now)"
    rows = [
        ("Service", service_at(server)),
        ("Server", server),
        ("User name", username),
        ("Password", "stored encrypted"),
        (
            "Sign-in",
            "accepted"
            if refused is AccountStatus.LINKED
            else f"refused: enter the password again with 'studiosync caldav link {user}'",
        ),
        ("Calendar", calendar),
        ("Contacts", "an address book was found" if contacts else "no address book found"),
    ]
    table(f"CalDAV account of {user}", ("Setting", "Value"), rows)


def _dav_user(session: "Session", user: str) -> "DavAccount":
    """The user's CalDAV account; a user without one is told how to connect."""
    from studiosync.accounts.connections import syncing_user
    from studiosync.accounts.models import DavAccount
    from studiosync.errors import ErrorCode, InputError

    found = syncing_user(session, user)
    row = session.get(DavAccount, found.id)
    if row is None:
        raise InputError(ErrorCode.DAV_NOT_LINKED, field="user", user=found.login)
    return row
