"""A sync plan in words for the console: each step's action, appointment, when and why."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from zoneinfo import ZoneInfo

from studiosync.doctor.catalogue import Surface, explain_code
from studiosync.sync.actions import (
    Action,
    Link,
    PullCreate,
    PullDelete,
    PullUpdate,
    PushDelete,
    PushInsert,
    PushUpdate,
    ResolveConflict,
    Skip,
    Unlink,
)
from studiosync.sync.records import AllDaySpan, Span
from studiosync.wording.clean import clean_name
from studiosync.wording.conflicts import reason_words, side_words
from studiosync.wording.times import day_at

Row = tuple[str, str, str, str]
UNTITLED = "(no title)"


def span_words(span: Span, zone: ZoneInfo, now: dt.datetime) -> str:
    """When an appointment is, in words: "tomorrow at 10:00", "on Friday 4 December, all day"."""
    if isinstance(span, AllDaySpan):
        start = dt.datetime.combine(span.start, dt.time(12), tzinfo=zone)
        return day_at(start, zone, now).rsplit(" at ", 1)[0] + ", all day"
    return day_at(span.start, zone, now)


def _title(text: str) -> str:
    return clean_name(text) or UNTITLED


def _step(
    action: Action, zone: ZoneInfo, now: dt.datetime, titles: Mapping[int, str], service: str
) -> Row | None:
    when = ""
    if isinstance(action, PushInsert | PushUpdate | PullUpdate | PullDelete):
        when = span_words(action.appointment.span, zone, now)
    if isinstance(action, PushInsert):
        return (f"Send to {service}", _title(action.appointment.title), when, "new in the studio")
    if isinstance(action, PushUpdate):
        return (
            f"Update in {service}",
            _title(action.appointment.title),
            when,
            "changed in the studio",
        )
    if isinstance(action, PushDelete):
        title = _title(titles.get(action.appointment_id, ""))
        return (
            f"Delete from {service}",  # noqa: S608 - words for people, not SQL
            title,
            "",
            "deleted, cancelled or unassigned in the studio",
        )
    if isinstance(action, PullCreate):
        content = action.content
        return (
            "Add to the studio",
            _title(content.summary),
            span_words(content.span, zone, now),
            f"new in {service}",
        )
    if isinstance(action, PullUpdate):
        return (
            "Update in the studio",
            _title(action.appointment.title),
            when,
            f"changed in {service}",
        )
    if isinstance(action, PullDelete):
        return (
            "Delete from the studio",
            _title(action.appointment.title),
            when,
            f"deleted in {service}",
        )
    if isinstance(action, ResolveConflict):
        record = action.record
        then = _step(action.then, zone, now, titles, service) if action.then else None
        winner = side_words(record.winner, service)
        why = f"{reason_words(record.reason, service)}; the {winner} version wins"
        if then is None:
            title = _title(titles.get(record.appointment_id or 0, ""))
            return ("Keep the other in the conflict log", title, "", why)
        return (then[0], then[1], then[2], why)
    if isinstance(action, Skip):
        words = explain_code(action.code, Surface.CLI, None, **dict(action.params))
        named = (action.about.title if action.about else "") or titles.get(
            action.appointment_id or 0, ""
        )
        return ("Leave alone", _title(str(named or "")), "", words.title)
    return None


def plan_rows(
    actions: Iterable[Action],
    zone: ZoneInfo,
    now: dt.datetime,
    titles: Mapping[int, str],
    service: str = "Google",
) -> tuple[list[Row], int]:
    """The plan's rows for a table, and how many pairs already match (not listed)."""
    rows: list[Row] = []
    matching = 0
    for action in actions:
        if isinstance(action, Link | Unlink):
            matching += 1
            continue
        row = _step(action, zone, now, titles, service)
        if row is not None:
            rows.append(row)
    return rows, matching
