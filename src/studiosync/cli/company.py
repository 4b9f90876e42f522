"""CLI: `studiosync company …` (Company Preferences, including the Email tab)."""

from typing import Annotated

import typer

from studiosync.choices import SmtpSecurity
from studiosync.cli.common import done, studio, table

company = typer.Typer(help="Company (Studio) Preferences, including the Email tab.")


@company.command("show")
def show() -> None:
    """Show the studio's preferences (the SMTP password is never shown)."""
    from studiosync.studio import company as service

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
    password: Annotated[
        str | None,
        typer.Option(help="SMTP password ('' clears it). Stored encrypted.", show_default=False),
    ] = None,
    ask_password: Annotated[
        bool, typer.Option("--ask-password", help="Type the password at a hidden prompt.")
    ] = False,
    from_address: Annotated[str | None, typer.Option("--from", help="Sender address.")] = None,
) -> None:
    """Set the Email tab used by every email studiosync sends."""
    from studiosync.studio import company as service
    from studiosync.studio.validation import UNCHANGED

    if ask_password:
        password = typer.prompt("SMTP password", hide_input=True)
    with studio() as opened, opened.transaction() as session:
        service.set_email_settings(
            session,
            opened.box,
            host=UNCHANGED if host is None else host,
            port=UNCHANGED if port is None else port,
            security=security,
            username=UNCHANGED if username is None else username,
            password=UNCHANGED if password is None else password,
            from_address=UNCHANGED if from_address is None else from_address,
        )
    done("Email settings saved.")


def register(app: typer.Typer) -> None:
    app.add_typer(company, name="company")
