"""CLI: `studiosync sync USER` — one sync run for one user (Google or CalDAV), now."""

import datetime as dt
from typing import Annotated
from zoneinfo import ZoneInfo

import typer
from rich.markup import escape
from sqlalchemy import select
from sqlalchemy.orm import Session

from studiosync.cli.common import console, done, say, studio, table
from studiosync.cli.plan_words import plan_rows
from studiosync.control.jobs import studio_zone
from studiosync.doctor.catalogue import Context, Surface, explain_code
from studiosync.errors import ErrorCode
from studiosync.studio.models import Appointment, Assignment
from studiosync.studio.validation import find_user
from studiosync.sync.result import Level, RunResult
from studiosync.syncstate.runner import sync_user
from studiosync.wording.times import plural, zone_of

COLOURS = {Level.INFO: "dim", Level.WARNING: "yellow", Level.ERROR: "red"}
LEVEL_WORDS = {Level.INFO: "note", Level.WARNING: "warning", Level.ERROR: "error"}


def _plan(result: RunResult, zone: ZoneInfo, titles: dict[int, str], service: str) -> None:
    if result.plan is None:
        return
    now = dt.datetime.now(dt.UTC)
    rows, matching = plan_rows(result.plan.actions, zone, now, titles, service)
    if rows:
        table(
            "What the sync would do" if result.dry_run else "What the sync did",
            ("Action", "Appointment", "When", "Why"),
            rows,
        )
    else:
        say("Nothing to send or bring back.")
    if matching:
        say(f"{plural(matching, 'appointment')} already match in both places.", "dim")


def _report(
    result: RunResult, login: str, zone: ZoneInfo, titles: dict[int, str], service: str
) -> None:
    counts = result.counts
    table(
        "Sync run" + (" (dry run: nothing was changed)" if result.dry_run else ""),
        (
            f"To {service}",
            "Updated",
            "Deleted",
            f"From {service}",
            "Skipped",
            "Conflicts",
            "Contacts",
        ),
        [
            (
                counts.pushed,
                counts.updated,
                counts.deleted,
                counts.pulled,
                counts.skipped + counts.skipped_tentative,
                counts.conflicts,
                counts.contacts_new + counts.contacts_updated,
            )
        ],
    )
    _plan(result, zone, titles, service)
    context = Context(zone=zone)
    conflict_fix = ""
    for entry in result.log:
        params = {**dict(entry.params), "user": login, "service": service}
        if entry.appointment_id and "appointment" not in params:
            params["appointment"] = titles.get(entry.appointment_id, "")
        words = explain_code(entry.code, Surface.CLI, context, **params)
        console.print(f"[{COLOURS[entry.level]}]{LEVEL_WORDS[entry.level]:8}[/]", end=" ")
        say(f"{words.title}: {words.cause}")
        if entry.code is ErrorCode.SYNC_CONFLICT_RECORDED:
            conflict_fix = words.fix
    if conflict_fix:  # said once, however many conflicts there were
        say(f"Conflicts: {conflict_fix}")


def _titles(session: Session, user_id: int) -> dict[int, str]:
    rows = session.execute(
        select(Appointment.id, Appointment.title)
        .join(Assignment)
        .where(Assignment.user_id == user_id)
    )
    return {row.id: row.title for row in rows}


def sync(
    user: Annotated[str, typer.Argument(help="The user's login.")],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would be done; change nothing.")
    ] = False,
    confirm_bulk_delete: Annotated[
        bool, typer.Option("--confirm-bulk-delete", help="Allow a run that deletes many items.")
    ] = False,
) -> None:
    """Sync one user now, Google or CalDAV (not while a round or another sync runs for them)."""
    from studiosync.accounts.connections import service_name
    from studiosync.control.manual import sync_by_hand

    with studio() as opened:
        with opened.transaction() as session:
            found = find_user(session, user)
            user_id, login = found.id, found.login
            zone = zone_of(studio_zone(session))
            service = service_name(session, user_id)
        if dry_run:  # changes nothing: no need to keep a round away, nothing to log
            result = sync_user(opened, user_id, dry_run=True)
        else:  # under the user's lock, logged in the Control Center as a run by hand
            result = sync_by_hand(
                opened,
                user_id,
                login,
                lambda: sync_user(opened, user_id, confirm_bulk_delete=confirm_bulk_delete),
            ).result
        with opened.transaction() as session:
            titles = _titles(session, user_id)
    _report(result, login, zone, titles, service)
    if result.stopped is not None:
        params = {**dict(result.errors[-1].params if result.errors else {}), "user": login}
        words = explain_code(result.stopped, Surface.CLI, Context(zone=zone), **params)
        console.print(f"[bold red]✖[/] [bold]{escape(words.title)}[/]")
        say(f"  {words.cause}")
        say(f"  Fix: {words.fix}")
        raise typer.Exit(1)
    done("Sync finished." if result.ok else "Sync finished with warnings.")


def register(app: typer.Typer) -> None:
    app.command("sync")(sync)
