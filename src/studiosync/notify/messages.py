"""Builds studiosync's emails (text + HTML) from templates; pure: no clock, no network."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, tzinfo
from email.message import EmailMessage
from email.utils import parseaddr
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from studiosync.doctor.catalogue import explain_code
from studiosync.errors import ErrorCode, InputError
from studiosync.notify.config import SmtpConfig
from studiosync.notify.inputs import Changed, LogLine, Problem, RoundReport, RoundSummary
from studiosync.notify.scrub import scrub_secrets
from studiosync.wording.times import stamp

DETAILED_LOGS_TIP = (
    "Detailed sync logs come once a day, or after each round that changed something, as "
    'chosen under "Email Detailed Sync Logs" on your Google tab (Maintenance > '
    "Preferences > User Preferences > Google tab); rounds that change nothing send nothing. "
    "Once a few days of syncing have gone smoothly you can turn them off there. Warnings and "
    "errors are still emailed when something goes wrong."
)

_templates = Environment(
    loader=PackageLoader("studiosync.notify", "templates"),
    autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)


@dataclass(frozen=True)
class _ProblemView:
    code: str
    level: str
    title: str
    cause: str
    fix: str
    item: str | None
    count: int


@dataclass(frozen=True)
class _LineView:
    at: str
    level: str
    code: str
    message: str
    item: str | None


@dataclass(frozen=True)
class _ReportView:
    started: str
    computer: str | None
    sentence: str
    changes: list[Changed]
    more_changes: int
    lines: list[_LineView]


def sync_name(service: str) -> str:
    """The sync as the emails name it: "Google Sync", or "iCloud sync" for a CalDAV account."""
    return "Google Sync" if service == "Google" else f"{service} sync"


def problems_email(
    *,
    to: str,
    user: str,
    summary: RoundSummary,
    problems: Sequence[Problem],
    zone: tzinfo | None = None,
    service: str = "Google",
) -> EmailMessage:
    """The warnings-and-errors email of one round for one user: each problem worded in full."""
    if not problems:
        raise ValueError("a problems email needs at least one problem")
    ordered = sorted(problems, key=lambda problem: -problem.level.severity)
    views = [_problem_view(problem) for problem in ordered]
    noun = "problem" if len(views) == 1 else "problems"
    subject = f"studiosync: {len(views)} {noun} with your {sync_name(service)}"
    return _message(
        to,
        subject,
        "problems",
        sync=sync_name(service),
        headline=f"{len(views)} {noun} with your {sync_name(service)}",
        user=_clean(user),
        started=stamp(summary.started_at, zone),
        computer=_clean(summary.computer) if summary.computer else None,
        problems=views,
    )


def sync_log_email(
    *,
    to: str,
    user: str,
    report: RoundReport,
    zone: tzinfo | None = None,
    service: str = "Google",
) -> EmailMessage:
    """The detailed sync log of one round for one user: what it did, item by item."""
    started = stamp(report.started_at, zone)
    subject = f"studiosync: what {sync_name(service)} did for {_one_line(user)}, {started}"
    return _message(
        to,
        subject,
        "sync_log",
        sync=sync_name(service),
        user=_clean(user),
        report=_report_view(report, zone),
        tip=DETAILED_LOGS_TIP,
    )


def digest_email(
    *,
    to: str,
    user: str,
    day: date,
    reports: Sequence[RoundReport],
    quiet_rounds: int = 0,
    zone: tzinfo | None = None,
    service: str = "Google",
) -> EmailMessage:
    """One day of detailed sync logs for one user: each round that did something, in order."""
    if not reports:
        raise ValueError("a digest needs at least one round that did something")
    day_words = f"{day:%A} {day.day} {day:%B %Y}"
    noun = "round" if len(reports) == 1 else "rounds"
    headline = f"{len(reports)} {noun} of {sync_name(service)} changed something on {day_words}."
    return _message(
        to,
        f"studiosync: {sync_name(service)} for {_one_line(user)} on {day_words}",
        "digest",
        sync=sync_name(service),
        user=_clean(user),
        day=day_words,
        headline=headline,
        reports=[_report_view(report, zone) for report in reports],
        quiet_rounds=quiet_rounds,
        tip=DETAILED_LOGS_TIP,
    )


def settings_test_email(*, to: str, studio: str, config: SmtpConfig) -> EmailMessage:
    """The email of 'studiosync email test ADDRESS': proof that the Email tab works."""
    return _message(
        to,
        "studiosync: test email",
        "test",
        studio=_clean(studio),
        host=config.host or "",
        port=config.effective_port,
        security=config.security.value,
        username=config.username,
    )


def _problem_view(problem: Problem) -> _ProblemView:
    worded = explain_code(problem.code, **problem.params)
    return _ProblemView(
        code=problem.code.value,
        level=problem.level.value,
        title=_clean(worded.title),
        cause=_clean(worded.cause),
        fix=_clean(worded.fix),
        item=_clean(problem.item) if problem.item else None,
        count=problem.count,
    )


def _line_view(line: LogLine, zone: tzinfo | None) -> _LineView:
    return _LineView(
        at=stamp(line.at, zone),
        level=line.level.value,
        code=line.code.value if line.code else "",
        message=_clean(line.message),
        item=_clean(line.item) if line.item else None,
    )


def _report_view(report: RoundReport, zone: tzinfo | None) -> _ReportView:
    return _ReportView(
        started=stamp(report.started_at, zone),
        computer=_clean(report.computer) if report.computer else None,
        sentence=_clean(report.sentence),
        changes=[Changed(_clean(one.what), _clean(one.item)) for one in report.changes],
        more_changes=report.more_changes,
        lines=[_line_view(line, zone) for line in report.lines],
    )


def _message(to: str, subject: str, template: str, **context: Any) -> EmailMessage:
    recipient = _recipient(to)
    context["subject"] = subject
    text = _templates.get_template(f"{template}.txt").render(context)
    html = _templates.get_template(f"{template}.html").render(context)
    message = EmailMessage()
    message["To"] = recipient
    message["Subject"] = _one_line(subject)
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no auto-replies to this
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    return message


def _recipient(to: str) -> str:
    _, address = parseaddr(to)
    if "\r" in to or "\n" in to or "@" not in address or address != to.strip():
        raise InputError(ErrorCode.INVALID_EMAIL, field="recipient", value=to)
    return address


def _clean(text: str) -> str:
    return scrub_secrets(text)


def _one_line(text: str) -> str:
    return " ".join(scrub_secrets(text).split())
