"""The studiosync command line: one Typer app, one error handler that words every user error.

Commands load what they use when they run: the root lists every command from ``COMMANDS`` and
imports a command's module (``studiosync.cli.<module>``, whose ``register(app)`` adds it) only
when that command runs or shows its own help.
"""

from __future__ import annotations

import functools
import importlib
import sys
from dataclasses import dataclass
from typing import Any

import typer
from rich.console import Console
from typer.core import TyperGroup

from studiosync.cli.failures import is_usage_error, record_unexpected, show_usage_error
from studiosync.errors import InputError, StudioSyncError


@dataclass(frozen=True)
class Entry:
    """Where a top-level command lives and the line `studiosync --help` shows for it."""

    module: str
    help: str


COMMANDS: dict[str, Entry] = {
    "init": Entry(
        "setup", "Create the studio's database (or bring it up to date). Safe to run again."
    ),
    "demo-data": Entry(
        "setup", "Fill the studio with a believable demo: staff, rooms, clients, appointments."
    ),
    "run": Entry(
        "setup",
        "Run the embedded studio: demo data, the sandbox Google, the processor and the web pages.",
    ),
    "doctor": Entry(
        "doctor",
        "Check every Google Sync setting and say, in plain words, what is wrong and how to fix it.",
    ),
    "explain": Entry("doctor", "Explain one error code: what it means and how to fix it."),
    "sync": Entry(
        "sync",
        "Sync one user now, Google or CalDAV (not while a round or another sync runs for them).",
    ),
    "sandbox": Entry(
        "sandbox",
        "Run the Google sandbox: OAuth, Calendar v3 and People v1 at Google's paths, locally.",
    ),
    "web": Entry(
        "web",
        "Run the web application: log in at http://HOST:PORT/ (the API is under /api/, see /docs).",
    ),
    "processor": Entry(
        "control",
        "Run the Calendar Sync Processor on this computer until stopped (Ctrl+C or SIGTERM).",
    ),
    "worker": Entry(
        "control", "Run a Celery worker (scale-out mode: STUDIOSYNC_BROKER_URL and PostgreSQL)."
    ),
    "user": Entry("people", "Users: anyone who can be photographer, assistant or be assigned."),
    "resource": Entry("people", "Resources: locations, rooms, equipment (they never sync)."),
    "client": Entry("clients", "Clients of the studio."),
    "group": Entry("clients", "Client groups (Google contacts flow into one of them)."),
    "appointment": Entry("appointments", "Appointments: book, list, edit, cancel, delete."),
    "company": Entry("company", "Company (Studio) Preferences, including the Email tab."),
    "google": Entry("google", "Google Sync: each user's Google tab, account and calendar."),
    "caldav": Entry(
        "caldav", "CalDAV sync: connect a user to iCloud, Fastmail, Nextcloud or any CalDAV server."
    ),
    "job": Entry("control", "Control Center jobs: the Calendar Sync Processor."),
    "computer": Entry("control", "Computers that checked in with the Control Center."),
    "logs": Entry("control", "Control Center logs: every round, every user, every problem."),
    "email": Entry("control", "Email (the Email tab of Company Preferences)."),
}


@functools.cache
def module_commands(module: str) -> TyperGroup:
    """Every command that ``studiosync.cli.<module>`` registers, built as Typer builds them."""
    holder = typer.Typer(add_completion=False, rich_markup_mode="rich")
    holder.callback()(lambda: None)  # a group even when the module has a single command
    importlib.import_module(f"studiosync.cli.{module}").register(holder)
    group = typer.main.get_command(holder)
    assert isinstance(group, TyperGroup)
    return group


class LazyGroup(TyperGroup):
    """The root group: it knows every command's name and help, and builds one only to run it."""

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        # Stand-ins with the listed help: --help and the "did you mean" hints import nothing.
        self.commands = {
            name: typer.core.TyperCommand(name, help=e.help) for name, e in COMMANDS.items()
        }
        self.listing = False

    def format_help(self, ctx: Any, formatter: Any) -> None:
        self.listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self.listing = False

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        entry = COMMANDS.get(cmd_name)
        if entry is None or self.listing:
            return super().get_command(ctx, cmd_name)
        return module_commands(entry.module).commands[cmd_name]


app = typer.Typer(
    cls=LazyGroup,
    name="studiosync",
    help="studiosync: a photography studio back office with Google Calendar and Contacts sync.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)
err_console = Console(stderr=True)


@app.callback()
def _root() -> None:
    """Nothing to do before a command runs; the root only dispatches."""


def main() -> None:
    """Entry point: run the app; a StudioSyncError becomes one worded message and exit 2 or 1."""
    try:
        outcome = app(standalone_mode=False)
        if isinstance(outcome, int) and outcome:
            sys.exit(outcome)  # a command's typer.Exit(code), handed back by click
    except StudioSyncError as error:
        from rich.text import Text

        from studiosync.doctor.catalogue import Surface, explain
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
    except OverflowError as error:
        err_console.print(f"[bold red]✖ A number is too large[/] ({error}).")
        err_console.print("  [bold]Fix:[/] give a smaller number; see --help for the command.")
        sys.exit(2)
    except Exception as error:
        if is_usage_error(error):
            sys.exit(show_usage_error(error))
        reference, log = record_unexpected(error)
        where = f"the details are in {log}" if log else "the details could not be written"
        err_console.print(
            f"[bold red]✖ Something unexpected went wrong[/] (reference {reference}); {where}. "
            "Please send them with the command you ran to your support contact.",
            soft_wrap=True,
        )
        sys.exit(1)
