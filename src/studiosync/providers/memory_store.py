"""The memory provider's stored events: a single event or a series, with its exceptions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from studiosync.providers.base import EventTime, RemoteEvent


class Semantics(StrEnum):
    """Whose rules the memory provider plays."""

    GOOGLE = "google"
    """A series is its instances, each with an etag of its own; a deleted event is kept as a
    cancelled one (its id stays taken); a contacts token dies 7 days after its full listing."""
    CALDAV = "caldav"
    """A series is one resource: every occurrence carries the resource's etag, and a change to
    one lists them all again; a deleted resource is gone (not found, its name free again, a
    deleted series listed as one stub with the series id); contacts tokens do not age. As the
    CalDAV provider does, an occurrence may be written with the etag listed before our own
    writes to its siblings a moment ago."""


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

    @property
    def resource_seq(self) -> int:
        """The change number of the whole resource: its own or its latest exception's."""
        return max([self.seq, *(seq for _event, seq in self.overrides.values())])


@dataclass
class OwnWrites:
    """Our writes to one series in a row: the etag before them, the one after, what we wrote."""

    before: str
    after: str
    written: frozenset[str]

    def explain(self, event_id: str, listed: str, current: str) -> bool:
        """Whether the resource moved from ``listed`` to ``current`` by our writes alone, none of
        them to ``event_id`` itself."""
        return event_id not in self.written and listed == self.before and current == self.after


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
