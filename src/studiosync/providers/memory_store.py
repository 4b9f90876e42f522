"""The memory provider's stored events: a single event or a series, with its exceptions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from studiosync.providers.base import EventTime, RemoteEvent


@dataclass
class Series:
    """A series repeating ``count`` times, ``every`` apart, from its event's start."""

    every: dt.timedelta
    count: int

    def rule(self) -> str:
        """The series' RRULE line, as Google shows it on the series' own event."""
        seconds = int(self.every.total_seconds())
        units = (("WEEKLY", 604800), ("DAILY", 86400), ("HOURLY", 3600), ("SECONDLY", 1))
        unit, size = next((name, size) for name, size in units if seconds % size == 0)
        interval = seconds // size
        step = f";INTERVAL={interval}" if interval != 1 else ""
        return f"RRULE:FREQ={unit}{step};COUNT={self.count}"


@dataclass
class Stored:
    """One stored item: its event (a series' own event), change number and exceptions."""

    event: RemoteEvent
    seq: int
    deleted: bool = False
    series: Series | None = None
    overrides: dict[str, tuple[RemoteEvent, int]] = field(default_factory=dict)


def shift(moment: EventTime | None, by: dt.timedelta) -> EventTime | None:
    if moment is None:
        return None
    if moment.date_time is not None:
        return EventTime(date_time=moment.date_time + by)
    assert moment.date is not None
    return EventTime(date=moment.date + dt.timedelta(days=by.days))


def stamp(moment: EventTime) -> str:
    if moment.date_time is not None:
        return moment.date_time.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    assert moment.date is not None
    return moment.date.strftime("%Y%m%d")
