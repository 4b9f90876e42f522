"""One calendar resource as events: a single event, or a series expanded into its instances.

A CalDAV series is one resource: a master VEVENT with RRULE/RDATE/EXDATE plus one VEVENT per
changed occurrence (same UID, with RECURRENCE-ID). The engine sees it as Google's
``singleEvents=true`` does: one ``RemoteEvent`` per occurrence inside a window, with the id
``<series id>@<recurrence id>`` (``20260302T090000Z`` in UTC, or ``20260302`` for all-day), the
series id as ``recurring_event_id`` and the resource's etag (every instance shares it: an
``If-Match`` on an instance guards the series resource). The master itself is not listed; it is
read by its id with ``get_event`` and carries the repeat rules in ``recurrence``.

Editing one occurrence writes a RECURRENCE-ID override into the resource; cancelling one adds an
EXDATE to the master and drops any override of it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import icalendar
import recurring_ical_events  # type: ignore[import-untyped]

from studiosync.providers.base import EventBody, EventStatus, RemoteEvent
from studiosync.providers.caldav.ical import (
    apply_body,
    event_from_vevent,
    parse,
    serialize,
    stamp,
    stamp_now,
    to_event_time,
    zone_named,
)

SEPARATOR = "@"


@dataclass(frozen=True)
class Window:
    """The span a series is expanded in (instances outside it are not listed)."""

    start: dt.datetime
    end: dt.datetime


def split_id(event_id: str) -> tuple[str, str | None]:
    """``(series id, recurrence stamp)`` of an instance id; ``(id, None)`` for any other id."""
    head, sep, tail = event_id.rpartition(SEPARATOR)
    if sep and head and tail.isalnum() and tail[:8].isdigit() and len(tail) in (8, 16):
        return head, tail
    return event_id, None


def moment_of(wanted: str) -> dt.datetime:
    """The UTC instant of a recurrence stamp (midnight UTC for a date)."""
    if "T" in wanted:
        return dt.datetime.strptime(wanted, "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.UTC)
    return dt.datetime.strptime(wanted, "%Y%m%d").replace(tzinfo=dt.UTC)


def _vevents(calendar: icalendar.Calendar) -> list[icalendar.Component]:
    return list(calendar.walk("VEVENT"))


def master_of(calendar: icalendar.Calendar) -> icalendar.Component | None:
    return next((ev for ev in _vevents(calendar) if "RECURRENCE-ID" not in ev), None)


def is_series(calendar: icalendar.Calendar) -> bool:
    master = master_of(calendar)
    if master is None:
        return bool(_vevents(calendar))
    return bool("RRULE" in master or "RDATE" in master or len(_vevents(calendar)) > 1)


def _exdates(master: icalendar.Component) -> list[Any]:
    found = master.get("EXDATE")
    lists = found if isinstance(found, list) else ([found] if found is not None else [])
    return [item.dt for exdate in lists for item in exdate.dts]


def _inside(moment: Any, window: Window) -> bool:
    if isinstance(moment, dt.datetime):
        aware = moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
        return window.start <= aware < window.end
    return bool(window.start.date() <= moment < window.end.date())


def events_of(
    text: str,
    *,
    series_id: str,
    etag: str | None,
    calendar_zone: str | None,
    window: Window,
    with_cancelled: bool,
) -> list[RemoteEvent]:
    """The resource as events: itself, or its instances inside ``window``.

    ``with_cancelled`` adds a cancelled stub for each EXDATE in the window (incremental
    listings report cancelled occurrences; full listings hold live events only).
    """
    calendar = parse(text)
    if not is_series(calendar):
        master = master_of(calendar)
        if master is None:
            return []
        event = event_from_vevent(
            master, event_id=series_id, etag=etag, calendar_zone=calendar_zone
        )
        return [] if event.cancelled and not with_cancelled else [event]
    found: list[RemoteEvent] = []
    for occurrence in recurring_ical_events.of(calendar).between(window.start, window.end):
        original = to_event_time(occurrence.decoded("RECURRENCE-ID"), calendar_zone)
        event = event_from_vevent(
            occurrence,
            event_id=f"{series_id}{SEPARATOR}{stamp(original)}",
            etag=etag,
            calendar_zone=calendar_zone,
            series_id=series_id,
        )
        if with_cancelled or not event.cancelled:
            found.append(event)
    master = master_of(calendar)
    if with_cancelled and master is not None:
        for value in _exdates(master):
            if _inside(value, window):
                original = to_event_time(value, calendar_zone)
                found.append(
                    RemoteEvent(
                        id=f"{series_id}{SEPARATOR}{stamp(original)}",
                        status=EventStatus.CANCELLED,
                        etag=etag,
                        recurring_event_id=series_id,
                        original_start=original,
                    )
                )
    return found


def master_event(
    text: str, *, series_id: str, etag: str | None, calendar_zone: str | None
) -> RemoteEvent | None:
    """The series' master (or the single event) with its repeat rules."""
    master = master_of(parse(text))
    if master is None:
        return None
    return event_from_vevent(master, event_id=series_id, etag=etag, calendar_zone=calendar_zone)


def _same_moment(value: Any, wanted: str, zone: str | None) -> bool:
    return stamp(to_event_time(value, zone)) == wanted


def _rid_value(master: icalendar.Component, wanted: str, zone: str | None) -> Any:
    """The recurrence id ``wanted`` in the form of the master's DTSTART (zone or date)."""
    start = master.decoded("DTSTART")
    if isinstance(start, dt.datetime):
        moment = dt.datetime.strptime(wanted, "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.UTC)
        if start.tzinfo is None:
            return moment.astimezone(zone_named(zone) or dt.UTC).replace(tzinfo=None)
        return moment.astimezone(start.tzinfo)
    return dt.datetime.strptime(wanted, "%Y%m%d").date()


def _override(calendar: icalendar.Calendar, wanted: str, zone: str | None) -> Any:
    for event in _vevents(calendar):
        if "RECURRENCE-ID" in event and _same_moment(event.decoded("RECURRENCE-ID"), wanted, zone):
            return event
    return None


def edit_instance(
    text: str, wanted: str, body: EventBody, zone: str | None, now: dt.datetime
) -> str:
    """The resource with occurrence ``wanted`` changed to ``body`` (a RECURRENCE-ID override)."""
    calendar = parse(text)
    master = master_of(calendar)
    event = _override(calendar, wanted, zone)
    if event is None:
        if master is None:
            raise LookupError(wanted)
        event = icalendar.Event()
        event.add("UID", master["UID"])
        event.add("RECURRENCE-ID", _rid_value(master, wanted, zone))
        calendar.add_component(event)
    apply_body(event, body, now)
    return serialize(calendar)


def cancel_instance(text: str, wanted: str, zone: str | None, now: dt.datetime) -> str:
    """The resource with occurrence ``wanted`` removed: an EXDATE, and no override of it."""
    calendar = parse(text)
    master = master_of(calendar)
    override = _override(calendar, wanted, zone)
    if master is None:
        if override is None:
            raise LookupError(wanted)
        override["STATUS"] = "CANCELLED"
        stamp_now(override, now)
        return serialize(calendar)
    if override is not None:
        calendar.subcomponents.remove(override)
    master.add("EXDATE", _rid_value(master, wanted, zone))
    stamp_now(master, now)
    return serialize(calendar)
