"""The studiosync command line: one Typer app, one error handler that words every user error."""

from __future__ import annotations

import sys

import typer
from rich.console import Console

from studiosync.doctor.catalogue import Surface, explain
from studiosync.errors import InputError, StudioSyncError

app = typer.Typer(
    name="studiosync",
    help="studiosync: a photography studio back office with Google Calendar and Contacts sync.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)
err_console = Console(stderr=True)


def _register() -> None:
    """Attach every command group; each lives in its own module."""
    from studiosync.cli import (
        appointments,
        clients,
        company,
        control,
        doctor,
        google,
        people,
        sandbox,
        setup,
        sync,
        web,
    )

    for module in (
        setup,
        people,
        clients,
        appointments,
        company,
        doctor,
        google,
        sync,
        sandbox,
        web,
        control,
    ):
        module.register(app)


def main() -> None:
    """Entry point: run the app; a StudioSyncError becomes one worded message and exit 2 or 1."""
    _register()
    try:
        outcome = app(standalone_mode=False)
        if isinstance(outcome, int) and outcome:
            sys.exit(outcome)  # a command's typer.Exit(code), handed back by click
    except StudioSyncError as error:
        from rich.text import Text

        from studiosync.wording.clean import clean

        explanation = explain(error, Surface.CLI)
        err_console.print(Text(f"✖ {explanation.title}", style="bold red"))
        err_console.print(Text(f"  {clean(explanation.cause)}"))
        err_console.print(Text(f"  Fix: {clean(explanation.fix)}"))
        sys.exit(2 if isinstance(error, InputError) else 1)
    except typer.Abort:
        err_console.print("Aborted.")
        sys.exit(1)
    except typer.Exit as done:
        sys.exit(done.exit_code)
    except Exception as usage:  # click usage errors carry their own exit code and wording
        import click

        if isinstance(usage, click.ClickException):
            usage.show()
            sys.exit(usage.exit_code)
        raise
