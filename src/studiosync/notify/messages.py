"""Builds studiosync's emails (text + HTML) from templates; pure: no clock, no network."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from email.message import EmailMessage
from email.utils import parseaddr
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from studiosync.doctor.catalogue import explain_code
from studiosync.errors import ErrorCode, InputError
from studiosync.notify.config import SmtpConfig
from studiosync.notify.inputs import LogLine, Problem, RoundSummary
from studiosync.notify.scrub import scrub_secrets

DEFAULT_MAX_LOG_LINES = 2000
DETAILED_LOGS_TIP = (
    "Detailed logs are most useful in the first days after Google Sync is set up, to see "
    "every appointment come across. Once a few days of syncing have gone smoothly, you can "
    'stop these emails: uncheck "Email Detailed Sync Logs to Me" on your Google tab '
    "(Maintenance > Preferences > User Preferences > Google tab, or "
    "'studiosync google options LOGIN --no-detailed-logs'). Warnings and errors are still "
    "emailed when something goes wrong."
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


def problems_email(
    *,
    to: str,
    user: str,
    summary: RoundSummary,
    problems: Sequence[Problem],
    zone: tzinfo | None = None,
) -> EmailMessage:
    """The warnings-and-errors email of one round for one user: each problem worded in full."""
    if not problems:
        raise ValueError("a problems email needs at least one problem")
    ordered = sorted(problems, key=lambda problem: -problem.level.severity)
    views = [_problem_view(problem) for problem in ordered]
    noun = "problem" if len(views) == 1 else "problems"
    subject = f"studiosync: {len(views)} {noun} with your Google Sync"
    return _message(
        to,
        subject,
        "problems",
        headline=f"{len(views)} {noun} with your Google Sync",
        user=_clean(user),
        started=_when(summary.started_at, zone),
        computer=_clean(summary.computer) if summary.computer else None,
        problems=views,
    )


def sync_log_email(
    *,
    to: str,
    user: str,
    summary: RoundSummary,
    lines: Sequence[LogLine],
    zone: tzinfo | None = None,
    max_lines: int = DEFAULT_MAX_LOG_LINES,
) -> EmailMessage:
    """The detailed sync log of one round for one user: counts first, then every log line."""
    shown = lines[:max_lines]
    started = _when(summary.started_at, zone)
    subject = f"studiosync: Google Sync log for {_one_line(user)}, {started[:16]}"
    return _message(
        to,
        subject,
        "sync_log",
        user=_clean(user),
        started=started,
        finished=_when(summary.finished_at, zone) if summary.finished_at else None,
        computer=_clean(summary.computer) if summary.computer else None,
        counts=summary.counts(),
        lines=[_line_view(line, zone) for line in shown],
        hidden_lines=len(lines) - len(shown),
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
        at=_when(line.at, zone),
        level=line.level.value,
        code=line.code.value if line.code else "",
        message=_clean(line.message),
        item=_clean(line.item) if line.item else None,
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


def _when(moment: datetime, zone: tzinfo | None) -> str:
    if zone is not None and moment.tzinfo is not None:
        moment = moment.astimezone(zone)
    return moment.strftime("%Y-%m-%d %H:%M:%S %Z").strip()
