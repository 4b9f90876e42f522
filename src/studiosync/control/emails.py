"""After a user's run: email its warnings and errors (deduplicated) and, if asked, what it did."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from studiosync.accounts.connections import service_name
from studiosync.clock import Clock
from studiosync.context import Studio
from studiosync.control import history, records, reports
from studiosync.control.models import EmailedProblem, LogLine, Run, UserRun
from studiosync.errors import ErrorCode, StudioSyncError
from studiosync.notify import dedup, messages, smtp
from studiosync.notify.config import SmtpConfig
from studiosync.notify.inputs import LogLevel, Problem, RoundReport, RoundSummary
from studiosync.studio.company import email_settings, get_company
from studiosync.studio.models import GoogleSettings, User
from studiosync.sync.result import Level

log = logging.getLogger(__name__)

Sender = Callable[[SmtpConfig, EmailMessage], object]
PROBLEM_LEVELS = reports.PROBLEM_LEVELS
EACH_ROUND = "round"  # GoogleSettings.detailed_logs_every for an email after each round


def send_with_smtp(config: SmtpConfig, message: EmailMessage) -> object:
    return smtp.send(config, message)


@dataclass(frozen=True)
class _Mail:
    to: str
    login: str
    config: SmtpConfig
    summary: RoundSummary
    zone: ZoneInfo
    plan: dedup.ProblemEmailPlan
    report: RoundReport | None
    run_id: int
    user_id: int
    service: str = "Google"


def email_user(
    studio: Studio,
    user_run_id: int,
    *,
    clock: Clock,
    send: Sender = send_with_smtp,
) -> None:
    """Email one user about one run; SMTP trouble becomes a warning on the round, never a crash."""
    with studio.transaction() as session:
        mail = _prepare(session, studio, user_run_id, clock.now())
    if mail is None:
        return
    if mail.plan.should_send:
        message = messages.problems_email(
            to=mail.to,
            user=mail.login,
            summary=mail.summary,
            problems=mail.plan.to_send,
            zone=mail.zone,
            service=mail.service,
        )
        if _deliver(studio, mail, message, send, clock):
            with studio.transaction() as session:
                for sent in mail.plan.emailed(clock.now()):
                    session.add(
                        EmailedProblem(
                            user_id=mail.user_id,
                            code=sent.code.value,
                            item=sent.item,
                            sent_at=sent.sent_at,
                        )
                    )
    if mail.report is not None:
        message = messages.sync_log_email(
            to=mail.to, user=mail.login, report=mail.report, zone=mail.zone, service=mail.service
        )
        _deliver(studio, mail, message, send, clock)


def _has_problems(session: Session, user_run_id: int) -> bool:
    first = select(LogLine.id).where(
        LogLine.user_run_id == user_run_id, LogLine.level.in_(PROBLEM_LEVELS)
    )
    return session.scalar(first.limit(1)) is not None


def _wanted(session: Session, row: UserRun, tab: GoogleSettings) -> bool:
    """Whether this run may need an email: a round's detailed log, or problems to tell."""
    if not tab.warnings_email:
        return False
    if _each_round(tab) and row.status != records.Status.SKIPPED:
        return True
    return tab.email_warnings and _has_problems(session, row.id)


def _each_round(tab: GoogleSettings) -> bool:
    return tab.email_detailed_logs and tab.detailed_logs_every == EACH_ROUND


_TABS, _LINES = GoogleSettings.__table__, LogLine.__table__
_WORTH_EMAILING = select(
    _TABS.c.warnings_email,
    _TABS.c.email_detailed_logs,
    _TABS.c.detailed_logs_every,
    _TABS.c.email_warnings,
    select(_LINES.c.id)
    .where(_LINES.c.user_run_id == bindparam("row"), _LINES.c.level.in_(PROBLEM_LEVELS))
    .exists()
    .label("problems"),
).where(_TABS.c.user_id == bindparam("user"))


def worth_emailing(session: Session, user_run_id: int, user_id: int, *, active: bool) -> bool:
    """Whether ``email_user`` may have something to send for a user's finished run: one short
    query, so a quiet run (the usual case) costs no more than this.

    ``active``: the run sent, brought back or skipped something (only such a round, or one
    with problems, has a detailed log to email).
    """
    found = session.execute(_WORTH_EMAILING, {"row": user_run_id, "user": user_id}).first()
    if found is None or not found.warnings_email:
        return False
    each_round = found.email_detailed_logs and found.detailed_logs_every == EACH_ROUND
    return bool(
        (each_round and (active or found.problems)) or (found.email_warnings and found.problems)
    )


def _prepare(session: Session, studio: Studio, user_run_id: int, now: dt.datetime) -> _Mail | None:
    found = session.execute(
        select(UserRun, GoogleSettings)
        .join(GoogleSettings, GoogleSettings.user_id == UserRun.user_id)
        .where(UserRun.id == user_run_id)
    ).first()
    if found is None or not _wanted(session, *found):
        return None
    row, tab = found
    address = tab.warnings_email
    assert address is not None  # _wanted says there is one
    user = session.get(User, row.user_id)
    run = session.get(Run, row.run_id)
    if user is None or run is None:
        return None
    zone = ZoneInfo(get_company(session).time_zone)
    lines = reports.lines_of(session, [row.id])[row.id]
    detailed = (
        _each_round(tab)
        and row.status != records.Status.SKIPPED
        and reports.did_something(row, lines)
    )
    problems = [_problem(line, zone) for line in lines if line.level in PROBLEM_LEVELS]
    if not tab.email_warnings:
        problems = []
    if not problems and not detailed:
        return None
    plan = dedup.plan_problem_email(problems, _recently_emailed(session, row.user_id, now), now=now)
    if not plan.should_send and not detailed:
        return None
    return _Mail(
        to=address,
        login=user.login,
        config=SmtpConfig(**dataclasses.asdict(email_settings(session, studio.box))),
        summary=_summary(run, row),
        zone=zone,
        plan=plan,
        report=reports.report_of(run, row, lines, user.login, zone) if detailed else None,
        run_id=run.id,
        user_id=row.user_id,
        service=service_name(session, row.user_id),
    )


def _recently_emailed(
    session: Session, user_id: int, now: dt.datetime
) -> list[dedup.EmailedProblem]:
    since = now - dedup.REPEAT_WINDOW
    rows = session.scalars(
        select(EmailedProblem).where(
            EmailedProblem.user_id == user_id, EmailedProblem.sent_at >= since
        )
    )
    return [
        dedup.EmailedProblem(code=ErrorCode(row.code), item=row.item, sent_at=row.sent_at)
        for row in rows
    ]


def _problem(line: LogLine, zone: ZoneInfo) -> Problem:
    return Problem(
        code=ErrorCode(line.code),
        params=line.params,
        item=history.item_of(line, zone),
        level=LogLevel(line.level),
    )


def _summary(run: Run, row: UserRun) -> RoundSummary:
    counts = row.counts or {}
    return RoundSummary(
        started_at=row.started_at or run.started_at,
        finished_at=row.finished_at,
        computer=run.computer,
        pushed=counts.get("pushed_new", 0),
        pulled=counts.get("pulled_new", 0),
        updated=counts.get("pushed_updated", 0) + counts.get("pulled_updated", 0),
        deleted=counts.get("pushed_deleted", 0) + counts.get("pulled_deleted", 0),
        skipped=counts.get("skipped", 0) + counts.get("skipped_tentative", 0),
        conflicts=counts.get("conflicts", 0),
    )


def _deliver(
    studio: Studio, mail: _Mail, message: EmailMessage, send: Sender, clock: Clock
) -> bool:
    try:
        send(mail.config, message)
    except StudioSyncError as error:
        log.warning("email to user %s not sent: %s", mail.user_id, error.code.value)
        with studio.transaction() as session:
            records.add_line(
                session,
                mail.run_id,
                Level.WARNING,
                error.code,
                {"user": mail.login, **error.params},
                clock.now(),
                user_id=mail.user_id,
            )
        return False
    return True
