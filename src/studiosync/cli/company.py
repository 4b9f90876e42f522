"""CLI: `studiosync company …` (Company Preferences, including the Email and Google tabs)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from studiosync.choices import SmtpSecurity
from studiosync.cli.common import done, studio, table

if TYPE_CHECKING:
    from studiosync.studio.models import Company
    from studiosync.studio.validation import Unchanged
    from studiosync.sync.fields import Field

company = typer.Typer(help="Company (Studio) Preferences, including the Email tab.")


@company.command("show")
def show() -> None:
    """Show the studio's preferences (the SMTP password is never shown)."""
    from studiosync.studio import company as service
    from studiosync.sync.fields import FIELD_WORDS, Field

    with studio() as opened, opened.transaction() as session:
        record = service.get_company(session)
        rows = [
            ("Name", record.name),
            ("Time zone", record.time_zone),
            ("SMTP server", record.smtp_host or "— not set —"),
            ("SMTP port", record.smtp_port or "— not set —"),
            ("Security", record.smtp_security.value),
            ("SMTP username", record.smtp_username or ""),
            ("SMTP password", "set" if record.smtp_password_encrypted else "not set"),
            ("From address", record.email_from or "— not set —"),
            ("Google summary template", record.summary_template),
            *(
                (f"Google edits of the {FIELD_WORDS[field]}", _owner_words(record, field))
                for field in Field
            ),
        ]
    table("Company Preferences", ("Setting", "Value"), rows)


@company.command("set")
def set_company(
    name: Annotated[str | None, typer.Option("--name")] = None,
    time_zone: Annotated[str | None, typer.Option(help="IANA name, e.g. Europe/Paris.")] = None,
) -> None:
    """Change the studio's name or time zone."""
    from studiosync.studio import company as service

    with studio() as opened, opened.transaction() as session:
        service.update_company(session, name=name, time_zone=time_zone)
    done("Company preferences saved.")


@company.command("email")
def set_email(
    host: Annotated[str | None, typer.Option(help="SMTP server, e.g. smtp.example.com.")] = None,
    port: Annotated[int | None, typer.Option(help="Usually 587 (STARTTLS) or 465 (SSL).")] = None,
    security: Annotated[SmtpSecurity | None, typer.Option()] = None,
    username: Annotated[str | None, typer.Option()] = None,
    password: Annotated[str | None, typer.Option(hidden=True, show_default=False)] = None,
    ask_password: Annotated[
        bool, typer.Option("--ask-password", help="Type the password at a hidden prompt.")
    ] = False,
    password_stdin: Annotated[
        bool,
        typer.Option(
            "--password-stdin",
            help="Read the password from standard input (or set STUDIOSYNC_SMTP_PASSWORD).",
        ),
    ] = False,
    clear_password: Annotated[
        bool, typer.Option("--clear-password", help="Forget the stored password.")
    ] = False,
    allow_plaintext: Annotated[
        bool,
        typer.Option(
            "--allow-plaintext",
            help="Allow a login with security 'none' (a mail server on a trusted network only).",
        ),
    ] = False,
    from_address: Annotated[str | None, typer.Option("--from", help="Sender address.")] = None,
) -> None:
    """Set the Email tab used by every email studiosync sends."""
    from studiosync.errors import ErrorCode, InputError
    from studiosync.studio import company as service
    from studiosync.studio.validation import UNCHANGED

    if password is not None:
        raise InputError(ErrorCode.SMTP_PASSWORD_IN_ARGUMENTS)
    secret = _new_password(ask_password, password_stdin, clear_password)
    with studio() as opened, opened.transaction() as session:
        current = service.get_company(session)
        login = current.smtp_username if username is None else (username or None)
        if isinstance(secret, str) and secret and not login:
            raise InputError(ErrorCode.SMTP_PASSWORD_WITHOUT_USERNAME)
        plain = (security or current.smtp_security) is SmtpSecurity.NONE
        if plain and login and not allow_plaintext:
            raise InputError(ErrorCode.SMTP_LOGIN_IN_CLEAR)
        service.set_email_settings(
            session,
            opened.box,
            host=UNCHANGED if host is None else host,
            port=UNCHANGED if port is None else port,
            security=security,
            username=UNCHANGED if username is None else username,
            password=secret,
            from_address=UNCHANGED if from_address is None else from_address,
        )
    done("Email settings saved.")


def _new_password(ask: bool, from_stdin: bool, clear: bool) -> str | Unchanged:
    """The new SMTP password: from a hidden prompt, standard input or the environment; "" to
    clear it; UNCHANGED when none is given."""
    import os
    import sys

    from studiosync.studio.validation import UNCHANGED

    if clear:
        return ""
    if ask:
        return str(typer.prompt("SMTP password", hide_input=True))
    if from_stdin:
        return sys.stdin.read().rstrip("\r\n")
    return os.environ.get("STUDIOSYNC_SMTP_PASSWORD") or UNCHANGED


def _owner_words(record: Company, field: Field) -> str:
    from studiosync.sync.fields import OWNER_WORDS
    from studiosync.syncstate.field_settings import field_rules

    owner = field_rules(record).of(field)
    return f"{owner.value} ({OWNER_WORDS[owner]})"


OWNER_HELP = "google (Google edits accepted), studio (studio only) or newest (newest edit wins)."


@company.command("google-fields")
def google_fields(
    summary_template: Annotated[
        str | None,
        typer.Option(
            "--summary-template",
            help="What Google shows as the summary, from {title}, {type}, {client} and {room}, "
            'e.g. "{title} – {client}". Default: "{title}".',
        ),
    ] = None,
    title: Annotated[str | None, typer.Option("--title", help=OWNER_HELP)] = None,
    time: Annotated[str | None, typer.Option("--time", help=OWNER_HELP)] = None,
    location: Annotated[str | None, typer.Option("--location", help=OWNER_HELP)] = None,
    notes: Annotated[str | None, typer.Option("--notes", help=OWNER_HELP)] = None,
    status: Annotated[str | None, typer.Option("--status", help=OWNER_HELP)] = None,
) -> None:
    """Company Preferences > Google: the summary template and who may change each field.

    With two-way sync on, each field (title, time, location, notes, status) says who may change
    it from Google: google, studio or newest. A field changed on both sides since the last sync
    follows its rule; the losing version is kept in the conflict log.
    """
    from studiosync.sync.fields import FIELD_WORDS, Field
    from studiosync.syncstate.field_settings import set_google_fields

    given = {"title": title, "time": time, "location": location, "notes": notes}
    given["status"] = status
    owners = {name: value for name, value in given.items() if value is not None}
    with studio() as opened, opened.transaction() as session:
        record = set_google_fields(session, summary_template=summary_template, owners=owners)
        rows = [("Summary template", record.summary_template)]
        rows += [(f"Google edits of the {FIELD_WORDS[f]}", _owner_words(record, f)) for f in Field]
    table("Company Preferences > Google", ("Setting", "Value"), rows)
    done("Google settings saved.")


def register(app: typer.Typer) -> None:
    app.add_typer(company, name="company")
