"""CLI: `studiosync doctor` (the troubleshooter) and `studiosync explain CODE`."""

from typing import Annotated

import typer

from studiosync.cli.common import console, studio
from studiosync.doctor.catalogue import CATALOGUE, explain_code
from studiosync.doctor.findings import Finding, Verdict
from studiosync.errors import ErrorCode, InputError

STYLE = {Verdict.OK: "green", Verdict.WARN: "yellow", Verdict.FAIL: "red", Verdict.INFO: "blue"}


def _show(finding: Finding) -> None:
    words = finding.explanation
    console.print(
        f"  [{STYLE[finding.verdict]}]{finding.verdict.mark}[/] {finding.title}"
        + (f" — {finding.note}" if finding.note and not words else "")
    )
    if words:
        console.print(f"      {words.cause}")
        console.print(f"      [bold]Fix:[/] {words.fix}")


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

    with studio() as opened:
        report = diagnose(opened, user, live=not offline, send_test_to=send_test)
    if as_json:
        import json

        console.print_json(json.dumps(report.as_dict()))
    else:
        for person in report.users:
            console.print(f"[bold]User {person.login}[/]")
            for finding in person.findings:
                _show(finding)
        if not report.users:
            console.print("[bold]No user has Google Sync enabled.[/] Check one with --user LOGIN.")
        console.print("[bold]Studio[/]")
        for finding in report.studio:
            _show(finding)
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
    words = explain_code(known)
    console.print(
        f"[bold]{words.title}[/] ({known.value})\n{words.cause}\n[bold]Fix:[/] {words.fix}"
    )


def register(app: typer.Typer) -> None:
    app.command("doctor")(doctor)
    app.command("explain")(explain)
