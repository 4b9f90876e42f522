"""CLI: `studiosync doctor` (the troubleshooter) and `studiosync explain CODE`."""

from typing import Annotated

import typer

from studiosync.cli.common import console, say, studio
from studiosync.doctor.catalogue import CATALOGUE, Context, Surface, explain_code
from studiosync.doctor.findings import Finding, Verdict
from studiosync.errors import ErrorCode, InputError

STYLE = {
    Verdict.OK: "green",
    Verdict.WARN: "yellow",
    Verdict.FAIL: "red",
    Verdict.INFO: "blue",
    Verdict.SKIPPED: "dim",
}


def _show(finding: Finding, context: Context) -> None:
    words = finding.words(Surface.CLI, context)
    console.print(f"  [{STYLE[finding.verdict]}]{finding.verdict.mark}[/]", end=" ")
    say(finding.title + (f" — {finding.note}" if finding.note and not words else ""))
    if words:
        said = words.cause if words.title == finding.title else f"{words.title}. {words.cause}"
        say(said, indent=6)
        say(f"Fix: {words.fix}", indent=6)
        if finding.note:
            say(finding.note, indent=6)


def doctor(
    user: Annotated[
        str | None, typer.Option(help="Check one user (default: all with sync on).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the findings as JSON.")] = False,
    offline: Annotated[
        bool, typer.Option("--offline", help="Skip the checks that talk to Google or SMTP.")
    ] = False,
    send_test: Annotated[
        str | None, typer.Option("--send-test", help="Also send a test email to this address.")
    ] = None,
) -> None:
    """Check every Google Sync setting and say, in plain words, what is wrong and how to fix it."""
    from studiosync.doctor.report import diagnose

    with studio(keep_files_private=False) as opened:  # files reported as found, not fixed
        report = diagnose(opened, user, live=not offline, send_test_to=send_test)
    if as_json:
        import json

        console.print_json(json.dumps(report.as_dict()))
    else:
        for person in report.users:
            console.print(f"[bold]User {person.login}[/]")
            for finding in person.findings:
                _show(finding, person.context)
            if person.sync_off:
                say("Nothing else to check for them while Google Sync is off.", indent=4)
        if not report.users:
            console.print("[bold]No user has Google Sync enabled.[/] Check one with --user LOGIN.")
        console.print("[bold]Studio[/]")
        context = report.users[0].context if report.users else Context()
        for finding in report.studio:
            _show(finding, context)
    if report.failed:
        raise typer.Exit(1)


def explain(
    code: Annotated[str, typer.Argument(help="An error code, e.g. google.reauth_needed.")],
) -> None:
    """Explain one error code: what it means and how to fix it."""
    try:
        known = ErrorCode(code)
    except ValueError:
        raise InputError(
            ErrorCode.INVALID_VALUE,
            field="code",
            value=code,
            reason=f"it is not one of the {len(CATALOGUE)} known codes",
        ) from None
    words = explain_code(known, Surface.CLI)
    say(f"{words.title} ({known.value})", "bold")
    say(words.cause)
    say(f"Fix: {words.fix}")


def register(app: typer.Typer) -> None:
    app.command("doctor")(doctor)
    app.command("explain")(explain)
