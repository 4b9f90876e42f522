"""Events as listings see them: recurring series expanded into instances, windows and filters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from studiosync.sandbox.events_model import format_datetime, instant, when_point
from studiosync.sandbox.models import Calendar, StoredEvent
from studiosync.sandbox.recurrence import (
    RecurrenceError,
    build_rules,
    contains,
    instance_suffix,
    is_infinite,
    occurrences,
    split_instance_id,
)

FAR_PAST = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(slots=True)
class View:
    """One item a listing may return: a stored event or a computed instance of a series."""

    id: str
    body: dict[str, Any]
    etag: str
    stored: StoredEvent | None

    @property
    def cancelled(self) -> bool:
        return self.body.get("status") == "cancelled"


@dataclass(frozen=True, slots=True)
class Horizon:
    """How far an endless series is expanded: ``span`` past now, or past its own first start."""

    now: datetime
    span: timedelta

    def end_for(self, first_start: datetime) -> datetime:
        return max(self.now, first_start) + self.span


@dataclass(slots=True)
class Series:
    """What expanding a master event needs: its rules, zone, first start and length."""

    master: StoredEvent
    tz: str
    all_day: bool
    duration: timedelta

    def rules_start(self) -> date | datetime:
        point = when_point(self.master.body["start"])
        if isinstance(point, datetime):
            return point.astimezone(ZoneInfo(self.tz))
        return point


def series_of(calendar: Calendar, master: StoredEvent) -> Series | None:
    body = master.body
    if not body.get("recurrence") or body.get("recurringEventId"):
        return None
    start, end = when_point(body["start"]), when_point(body["end"])
    tz = body["start"].get("timeZone") or calendar.time_zone
    if isinstance(start, datetime) and isinstance(end, datetime):
        return Series(master, tz, False, end - start)
    assert not isinstance(start, datetime) and not isinstance(end, datetime)
    return Series(master, tz, True, timedelta(days=(end - start).days))


def expand(
    calendar: Calendar,
    series: Series,
    *,
    after: datetime | None,
    before: datetime | None,
    limit: int,
    horizon: Horizon | None = None,
) -> list[View]:
    """Instances whose time overlaps [after, before), exceptions in place of computed ones.

    A series without COUNT or UNTIL stops at ``before``, else at the ``horizon``.
    """
    try:
        rules = build_rules(
            series.master.body["recurrence"], series.rules_start(), ZoneInfo(series.tz)
        )
    except RecurrenceError:
        return []
    if before is None and horizon is not None and is_infinite(rules):
        before = horizon.end_for(instant(when_point(series.master.body["start"]), series.tz))
    first = after - series.duration if after else None
    views: list[View] = []
    for occurrence in occurrences(
        rules, all_day=series.all_day, after=first, before=before, limit=limit + 1000
    ):
        if len(views) >= limit:
            break
        if after is not None and _ends_by(occurrence, series, after):
            continue
        instance_id = f"{series.master.id}_{instance_suffix(occurrence)}"
        exception = calendar.events.get(instance_id)
        if exception is not None:
            views.append(View(exception.id, exception.body, exception.etag, exception))
        else:
            views.append(computed_instance(series, occurrence))
    return views


def _ends_by(occurrence: date | datetime, series: Series, moment: datetime) -> bool:
    end = occurrence + series.duration
    return instant(end, series.tz) <= moment


def computed_instance(series: Series, occurrence: date | datetime) -> View:
    master = series.master
    instance_id = f"{master.id}_{instance_suffix(occurrence)}"
    body = {k: v for k, v in master.body.items() if k != "recurrence"}
    if isinstance(occurrence, datetime):
        end = occurrence + series.duration
        body["start"] = {"dateTime": format_datetime(occurrence), "timeZone": series.tz}
        body["end"] = {"dateTime": format_datetime(end), "timeZone": series.tz}
        body["originalStartTime"] = dict(body["start"])
    else:
        body["start"] = {"date": occurrence.isoformat()}
        body["end"] = {"date": (occurrence + series.duration).isoformat()}
        body["originalStartTime"] = {"date": occurrence.isoformat()}
    body["recurringEventId"] = master.id
    link = str(master.body.get("htmlLink", ""))
    body["htmlLink"] = link.split("?eid=")[0] + "?eid=" + instance_id
    return View(instance_id, body, master.etag, None)


def find_instance(calendar: Calendar, event_id: str) -> View | None:
    """A computed instance for an id like ``{master}_{YYYYMMDDTHHMMSSZ}``, if the series has it."""
    parts = split_instance_id(event_id)
    if parts is None:
        return None
    master = calendar.events.get(parts[0])
    if master is None or master.cancelled:
        return None
    series = series_of(calendar, master)
    if series is None:
        return None
    original = parts[1]
    if series.all_day == isinstance(original, datetime):
        return None
    try:
        rules = build_rules(master.body["recurrence"], series.rules_start(), ZoneInfo(series.tz))
    except RecurrenceError:
        return None
    if not contains(rules, original):
        return None
    if isinstance(original, datetime):
        original = original.astimezone(ZoneInfo(series.tz))
    return computed_instance(series, original)


def span(body: dict[str, Any], tz: str) -> tuple[datetime, datetime]:
    """UTC start and end instants of a (non-series) event body."""
    return (instant(when_point(body["start"]), tz), instant(when_point(body["end"]), tz))


def overlaps(calendar: Calendar, view: View, low: datetime | None, high: datetime | None) -> bool:
    """Does the item touch the [low, high) window? A series does if any instance does."""
    if low is None and high is None:
        return True
    stored = view.stored
    series = series_of(calendar, stored) if stored is not None else None
    if series is not None:
        return bool(expand(calendar, series, after=low, before=high, limit=1))
    start, end = span(view.body, calendar.time_zone)
    return (low is None or end > low) and (high is None or start < high)


def start_key(calendar: Calendar, body: dict[str, Any]) -> str:
    """A sortable UTC start for orderBy=startTime."""
    start = instant(when_point(body["start"]), calendar.time_zone)
    return start.strftime("%Y%m%dT%H%M%S")
