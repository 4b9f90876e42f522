"""A user's round as the detailed sync log emails tell it, read from the Control Center log."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from studiosync.control import summary
from studiosync.control.history import worded
from studiosync.control.models import LogLine, Run, UserRun
from studiosync.errors import ErrorCode
from studiosync.notify.inputs import Changed, LogLevel, RoundReport
from studiosync.notify.inputs import LogLine as MailLine
from studiosync.sync.result import Level

PROBLEM_LEVELS = (Level.WARNING.value, Level.ERROR.value)
SUMMARY = ErrorCode.SYNC_ROUND_SUMMARY.value


def did_something(row: UserRun, lines: Sequence[LogLine]) -> bool:
    """Whether a user's run sent, brought back or skipped anything, or had a problem."""
    return summary.is_active(row.counts or {}) or any(
        line.level in PROBLEM_LEVELS for line in lines
    )


def report_of(
    run: Run, row: UserRun, lines: Sequence[LogLine], login: str, zone: ZoneInfo
) -> RoundReport:
    """The round as the email tells it: the summary sentence, the items, the other lines."""
    head = next((line for line in lines if line.code == SUMMARY), None)
    params: dict[str, Any] = dict(head.params) if head is not None else {}
    items = params.get("items")
    more = params.get("items_more")
    service = summary.service_in(params)
    changes = summary.changes_in_words(items if isinstance(items, list) else [], zone, service)
    sentence = (
        worded(head, login, zone).title
        if head is not None
        else summary.round_sentence(row.counts or {}, service=service)
    )
    told = [worded(line, login, zone) for line in lines if line.code != SUMMARY]
    return RoundReport(
        started_at=row.started_at or run.started_at,
        finished_at=row.finished_at,
        computer=run.computer,
        sentence=sentence,
        changes=tuple(Changed(one.change, one.words) for one in changes),
        more_changes=more if isinstance(more, int) else 0,
        lines=tuple(
            MailLine(
                at=line.at,
                level=LogLevel(line.level),
                message=line.title,
                code=ErrorCode(line.code),
                item=line.item,
            )
            for line in told
        ),
    )


def lines_of(session: Session, user_run_ids: Sequence[int]) -> dict[int, list[LogLine]]:
    """The log lines of some users' runs, by user run, in order."""
    found: dict[int, list[LogLine]] = {key: [] for key in user_run_ids}
    if not user_run_ids:
        return found
    query = select(LogLine).where(LogLine.user_run_id.in_(user_run_ids)).order_by(LogLine.id)
    for line in session.scalars(query):
        if line.user_run_id is not None:
            found[line.user_run_id].append(line)
    return found
