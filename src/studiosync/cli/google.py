"""CLI: `studiosync google …`: each user's Google tab (User Preferences > Google)."""

from typing import Annotated
from urllib.parse import parse_qs, urlsplit

import typer

from studiosync.cli.common import console, done, parse_date, studio, table, transaction
from studiosync.studio.google_options import DetailedLogs

google = typer.Typer(help="Google Sync: each user's Google tab, account and calendar.")
User = Annotated[str, typer.Argument(help="The user's login.")]


def _flag(on: str, off: str, text: str) -> object:
    return typer.Option(f"--{on}/--{off}", help=text, show_default=False)


@google.command("options")
def options(
    user: User,
    enable: Annotated[bool | None, _flag("enable", "disable", "Enable Google Sync.")] = None,
    populate_google: Annotated[
        bool | None,
        _flag("populate-google", "no-populate-google", "Send older appointments to Google."),
    ] = None,
    populate_studio: Annotated[
        bool | None,
        _flag("populate-studio", "no-populate-studio", "Bring older Google events in."),
    ] = None,
    populate_since: Annotated[
        str | None, typer.Option(help="Populate from this date (YYYY-MM-DD); '' for all.")
    ] = None,
    two_way: Annotated[
        bool | None,
        _flag("two-way", "one-way", "Send new, modified and deleted Google appointments here."),
    ] = None,
    tentative: Annotated[
        bool | None,
        _flag("tentative", "no-tentative", "Download tentative, non-confirmed appointments."),
    ] = None,
    contacts: Annotated[
        bool | None,
        _flag("contacts", "no-contacts", "Send new and modified Google contacts here."),
    ] = None,
    contacts_group: Annotated[
        str | None, typer.Option(help="Client group the contacts go into.")
    ] = None,
    email_warnings: Annotated[
        bool | None,
        _flag("email-warnings", "no-email-warnings", "Email warnings and errors (required)."),
    ] = None,
    warnings_email: Annotated[
        str | None, typer.Option(help="Where warnings and errors go.")
    ] = None,
    detailed_logs: Annotated[
        bool | None, _flag("detailed-logs", "no-detailed-logs", "Email detailed sync logs.")
    ] = None,
    detailed_logs_every: Annotated[
        str | None,
        typer.Option(
            "--detailed-logs-every",
            help="How often detailed logs are emailed: daily (one digest a day, the default), "
            "each-round (after each round that changes something) or off.",
        ),
    ] = None,
    privacy: Annotated[
        str | None,
        typer.Option(
            help="What goes to Google: full, hide-client (no client) or busy (time only)."
        ),
    ] = None,
) -> None:
    """Change options on a user's Google tab."""
    from studiosync.studio.google_options import set_google_settings
    from studiosync.studio.validation import UNCHANGED

    since = (
        UNCHANGED
        if populate_since is None
        else (parse_date("populate since", populate_since) if populate_since else None)
    )
    choice = DetailedLogs.parse(detailed_logs_every) if detailed_logs_every is not None else None
    if choice is None and detailed_logs is False:
        choice = DetailedLogs.OFF
    with transaction() as session:
        set_google_settings(
            session,
            user,
            enabled=enable,
            populate_google=populate_google,
            populate_studio=populate_studio,
            populate_since=since,
            two_way=two_way,
            download_tentative=tentative,
            import_contacts=contacts,
            contacts_group=UNCHANGED if contacts_group is None else (contacts_group or None),
            email_warnings=email_warnings,
            warnings_email=UNCHANGED if warnings_email is None else (warnings_email or None),
            email_detailed_logs=detailed_logs,
            detailed_logs=choice,
            privacy=privacy,
        )
    done(f"Google tab of {user!r} saved.")


def _how_often(choice: DetailedLogs) -> str:
    return {
        DetailedLogs.DAILY: "☑ once a day (a digest of the day)",
        DetailedLogs.EACH_ROUND: "☑ after each round that changes something",
        DetailedLogs.OFF: "☐",
    }[choice]


@google.command("show")
def show(user: User) -> None:
    """Show a user's Google tab."""
    from studiosync.studio.google_options import google_settings

    def box(value: bool) -> str:
        return "☑" if value else "☐"

    with transaction() as session:
        tab = google_settings(session, user)
        rows = [
            ("Enable Google Sync", box(tab.enabled)),
            ("Calendar", tab.calendar_id or "— none selected —"),
            ("Populate Google Calendar", box(tab.populate_google)),
            ("Populate studio", box(tab.populate_studio)),
            ("Populate since", tab.populate_since or "all"),
            ("Send New, Modified, and Deleted Google Appointments", box(tab.two_way)),
            ("Download Tentative, Non-Confirmed Appointments", box(tab.download_tentative)),
            ("Send New and Modified Google Contacts", box(tab.import_contacts)),
            ("Client group for contacts", tab.contacts_group.name if tab.contacts_group else ""),
            (
                "Email Warnings and Errors to",
                f"{box(tab.email_warnings)} {tab.warnings_email or ''}",
            ),
            ("Email Detailed Sync Logs", _how_often(DetailedLogs.of(tab))),
        ]
    table(f"Google tab of {user}", ("Option", "Value"), rows)


def register(app: typer.Typer) -> None:
    app.add_typer(google, name="google")


@google.command("link")
def link(
    user: User,
    sandbox_email: Annotated[
        str | None,
        typer.Option("--sandbox-email", help="Sandbox only: sign in as this account, no browser."),
    ] = None,
    sandbox_password: Annotated[
        str | None,
        typer.Option("--sandbox-password", help="The sandbox account's password (else asked)."),
    ] = None,
) -> None:
    """Authenticate My Google Account: sign in to Google and allow studiosync in."""
    from studiosync.accounts.endpoints import google_endpoints
    from studiosync.accounts.linking import LOOPBACK_REDIRECT, begin_link, complete_link
    from studiosync.accounts.sandbox_signin import link_on_sandbox

    with studio() as opened:
        endpoints = google_endpoints(opened.settings)
        if sandbox_email:
            password = sandbox_password or typer.prompt("Sandbox password", hide_input=True)
            account = link_on_sandbox(opened, endpoints, user, sandbox_email, password)
        else:
            with opened.transaction() as session:
                start = begin_link(session, opened.box, endpoints, user, LOOPBACK_REDIRECT)
            console.print("Open this address in a browser, sign in and choose Allow:\n")
            console.print(start.url, soft_wrap=True)
            pasted = typer.prompt("\nThen paste here the address the browser was sent to")
            answer = {k: v[0] for k, v in parse_qs(urlsplit(pasted.strip()).query).items()}
            account = complete_link(
                opened.sessions,
                opened.box,
                endpoints,
                state=answer.get("state", ""),
                code=answer.get("code"),
                error=answer.get("error"),
            )
    done(f"{user!r} is linked to the Google account {account.google_email}.")
    console.print(f"Next: choose a calendar with 'studiosync google calendars {user}'.")


@google.command("unlink")
def unlink_account(user: User) -> None:
    """Remove My Google Account: revoke studiosync's access and forget the account."""
    from studiosync.accounts.endpoints import google_endpoints
    from studiosync.accounts.linking import unlink

    with studio() as opened, opened.transaction() as session:
        email = unlink(session, opened.box, google_endpoints(opened.settings), user, studio=opened)
    done(f"The Google account {email} was removed from {user!r}.")


@google.command("calendars")
def calendars(user: User) -> None:
    """List the calendars of the user's Google account and which one is selected."""
    from studiosync.accounts.calendars import list_calendars
    from studiosync.accounts.endpoints import google_endpoints
    from studiosync.studio.google_options import google_settings

    with studio() as opened:
        found = list_calendars(opened, google_endpoints(opened.settings), user)
        with opened.transaction() as session:
            selected = google_settings(session, user).calendar_id
    rows = [
        (
            "➜" if c.id == selected else "",
            c.summary,
            c.id,
            c.access_role,
            "yes" if c.writable else "no (read only)",
            "yes" if c.primary else "",
        )
        for c in found
    ]
    table(
        f"Google calendars of {user}",
        ("", "Calendar", "Id", "Access", "Can sync", "Primary"),
        rows,
    )


@google.command("select-calendar")
def choose_calendar(
    user: User, calendar: Annotated[str, typer.Argument(help="Calendar id or name.")]
) -> None:
    """Choose the existing, writable Google calendar the user syncs with."""
    from studiosync.accounts.calendars import select_calendar
    from studiosync.accounts.endpoints import google_endpoints

    with studio() as opened:
        chosen = select_calendar(opened, google_endpoints(opened.settings), user, calendar)
    done(f"{user!r} now syncs with the calendar {chosen.summary!r}.")
