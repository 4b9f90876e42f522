"""CLI: `studiosync sync USER` — one Google Sync run for one user, now."""

from typing import Annotated

import typer

from studiosync.cli.common import console, done, studio, table
from studiosync.doctor.catalogue import explain_code
from studiosync.sync.result import Level, RunResult

COLOURS = {Level.INFO: "dim", Level.WARNING: "yellow", Level.ERROR: "red"}


def _report(result: RunResult) -> None:
    counts = result.counts
    table(
        "Sync run" + (" (dry run: nothing was changed)" if result.dry_run else ""),
        ("To Google", "Updated", "Deleted", "From Google", "Skipped", "Conflicts", "Contacts"),
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
    if result.plan is not None:
        console.print(f"Planned actions: {len(result.plan.actions)}")
        for action in result.plan.actions[:50]:
            console.print(f"  • {action}")
    for entry in result.log:
        words = explain_code(entry.code, **dict(entry.params))
        item = entry.event_id or (
            f"appointment {entry.appointment_id}" if entry.appointment_id else ""
        )
        console.print(
            f"[{COLOURS[entry.level]}]{entry.level.value:7}[/] {words.title}"
            + (f" ({item})" if item else "")
            + f": {words.cause}"
        )


def sync(
    user: Annotated[str, typer.Argument(help="The user's login.")],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would be done; change nothing.")
    ] = False,
    confirm_bulk_delete: Annotated[
        bool, typer.Option("--confirm-bulk-delete", help="Allow a run that deletes many items.")
    ] = False,
) -> None:
    """Run Google Sync for one user now."""
    from studiosync.studio.validation import find_user
    from studiosync.syncstate.runner import sync_user

    with studio() as opened:
        with opened.transaction() as session:
            user_id = find_user(session, user).id
        result = sync_user(
            opened, user_id, dry_run=dry_run, confirm_bulk_delete=confirm_bulk_delete
        )
    _report(result)
    if result.stopped is not None:
        words = explain_code(
            result.stopped, **dict(result.errors[-1].params if result.errors else {})
        )
        console.print(f"[bold red]✖ {words.title}[/]\n  {words.cause}\n  [bold]Fix:[/] {words.fix}")
        raise typer.Exit(1)
    done("Sync finished." if result.ok else "Sync finished with warnings.")


def register(app: typer.Typer) -> None:
    app.command("sync")(sync)
