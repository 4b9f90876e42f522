"""iCalendar VEVENTs to the provider's records and back: times, zones, status, private properties.

* All-day events are ``DATE`` values with an exclusive ``DTEND`` (as Google's ``date``); a
  missing ``DTEND`` is one day (dates) or zero length (times), or ``DTSTART + DURATION``.
* Timed events are written in their named zone (``DTSTART;TZID=Europe/Berlin``) with a
  ``VTIMEZONE`` for it; ``UTC`` is written as UTC. A floating time is read in the calendar's zone.
* ``STATUS`` CONFIRMED / TENTATIVE / CANCELLED is Google's confirmed / tentative / cancelled.
* Private properties (Google's ``extendedProperties.private``) are one
  ``X-STUDIOSYNC-PRIVATE;X-KEY=<key>:<value>`` each, so keys keep their case.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import icalendar

from studiosync.providers.base import Attendee, EventBody, EventStatus, EventTime, RemoteEvent
from studiosync.providers.google.convert import clean_text

PRODID = "-//studiosync//CalDAV//EN"
PRIVATE = "X-STUDIOSYNC-PRIVATE"
KEY = "X-KEY"
STATUSES = {"CONFIRMED": "confirmed", "TENTATIVE": "tentative", "CANCELLED": "cancelled"}
PARTSTAT = {
    "ACCEPTED": "accepted",
    "DECLINED": "declined",
    "TENTATIVE": "tentative",
    "NEEDS-ACTION": "needsAction",
}
RULES = ("RRULE", "RDATE", "EXDATE", "EXRULE")
TIMEZONE_YEARS = 5


def zone_named(name: str | None) -> dt.tzinfo | None:
    """The zone of a time-zone name, or ``None`` for a name that is no zone."""
    if not name:
        return None
    if name.upper() in ("UTC", "Z", "GMT"):
        return dt.UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def zone_name(value: dt.datetime) -> str | None:
    """The IANA name of an aware datetime's zone (``UTC`` for UTC), if it has one."""
    tz = value.tzinfo
    if isinstance(tz, ZoneInfo):
        return tz.key
    if tz is not None and value.utcoffset() == dt.timedelta(0) and str(tz).upper() in ("UTC", ""):
        return "UTC"
    return None


def to_event_time(value: Any, calendar_zone: str | None) -> EventTime:
    """A decoded DTSTART/DTEND/RECURRENCE-ID as an ``EventTime`` (floating: calendar's zone)."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=zone_named(calendar_zone) or dt.UTC)
        return EventTime(date_time=value)
    if isinstance(value, dt.date):
        return EventTime(date=value)
    raise ValueError(f"not a date or time: {value!r}")


def stamp(moment: EventTime) -> str:
    """An instance's recurrence id as text: ``20260302T090000Z`` (UTC) or ``20260302``."""
    if moment.date_time is not None:
        return moment.date_time.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    assert moment.date is not None
    return moment.date.strftime("%Y%m%d")


def _decoded(component: icalendar.Component, name: str) -> Any:
    return component.decoded(name) if name in component else None


def _end(event: icalendar.Component, start: Any) -> Any:
    if "DTEND" in event:
        return event.decoded("DTEND")
    if "DURATION" in event:
        return start + event.decoded("DURATION")
    if isinstance(start, dt.datetime):
        return start
    return start + dt.timedelta(days=1)


def _text(event: icalendar.Component, name: str) -> str:
    value = event.get(name)
    return clean_text(str(value)) if value is not None else ""


def private_of(event: icalendar.Component) -> dict[str, str]:
    """The ``X-STUDIOSYNC-PRIVATE`` properties as a mapping."""
    found = event.get(PRIVATE)
    if found is None:
        return {}
    values = found if isinstance(found, list) else [found]
    return {str(item.params.get(KEY, "")): str(item) for item in values if item.params.get(KEY)}


def _attendees(event: icalendar.Component) -> tuple[Attendee, ...]:
    found = event.get("ATTENDEE")
    values = found if isinstance(found, list) else ([found] if found is not None else [])
    return tuple(
        Attendee(
            email=clean_text(str(item)).removeprefix("mailto:").removeprefix("MAILTO:"),
            response_status=PARTSTAT.get(
                str(item.params.get("PARTSTAT", "")).upper(), "needsAction"
            ),
        )
        for item in values
    )


def rule_lines(event: icalendar.Component) -> tuple[str, ...]:
    """The master's repeat rules as Google's ``recurrence`` lines (``RRULE:FREQ=WEEKLY``...)."""
    lines: list[str] = []
    for line in event.content_lines():
        text = str(line)
        if text.split(":", 1)[0].split(";", 1)[0].upper() in RULES:
            lines.append(text)
    return tuple(lines)


def event_from_vevent(
    event: icalendar.Component,
    *,
    event_id: str,
    etag: str | None,
    calendar_zone: str | None,
    series_id: str | None = None,
) -> RemoteEvent:
    """One VEVENT (a single event, a master, or one occurrence) as a ``RemoteEvent``."""
    unreadable: str | None = None
    start = end = original = None
    zone = calendar_zone
    try:
        raw_start = event.decoded("DTSTART")
        start = to_event_time(raw_start, calendar_zone)
        end = to_event_time(_end(event, raw_start), calendar_zone)
        if isinstance(raw_start, dt.datetime) and raw_start.tzinfo is not None:
            zone = zone_name(raw_start) or calendar_zone
    except (KeyError, ValueError, TypeError):
        unreadable = "start/end"
    try:
        rid = _decoded(event, "RECURRENCE-ID")
        original = to_event_time(rid, calendar_zone) if rid is not None else None
    except (ValueError, TypeError):
        unreadable = unreadable or "recurrence-id"
    updated = _decoded(event, "LAST-MODIFIED") or _decoded(event, "DTSTAMP")
    status = STATUSES.get(str(event.get("STATUS", "CONFIRMED")).upper(), EventStatus.CONFIRMED)
    return RemoteEvent(
        id=event_id,
        status=status,
        etag=etag,
        summary=_text(event, "SUMMARY"),
        description=_text(event, "DESCRIPTION"),
        location=_text(event, "LOCATION"),
        start=start,
        end=end,
        time_zone=zone,
        updated=updated if isinstance(updated, dt.datetime) else None,
        private=private_of(event),
        attendees=_attendees(event),
        recurring_event_id=series_id,
        original_start=original if series_id else None,
        unreadable=unreadable,
        recurrence=() if series_id else rule_lines(event),
    )


def _time_value(moment: EventTime, zone: str) -> dt.date | dt.datetime:
    if moment.date is not None:
        return moment.date
    assert moment.date_time is not None
    tz = zone_named(zone)
    return moment.date_time.astimezone(tz) if tz is not None else moment.date_time


def _replace(event: icalendar.Component, name: str, value: Any) -> None:
    if name in event:
        del event[name]
    if value is not None and value != "":
        event.add(name, value)


def apply_body(event: icalendar.Component, body: EventBody, now: dt.datetime) -> None:
    """Write what the studio owns into a VEVENT; everything else in it stays as it is."""
    _replace(event, "SUMMARY", body.summary)
    _replace(event, "DESCRIPTION", body.description)
    _replace(event, "LOCATION", body.location)
    _replace(event, "DTSTART", _time_value(body.start, body.time_zone))
    _replace(event, "DTEND", _time_value(body.end, body.time_zone))
    if "DURATION" in event:
        del event["DURATION"]
    _replace(event, "STATUS", str(body.status).upper())
    set_private(event, {**private_of(event), **body.private})  # names left out are kept
    stamp_now(event, now)


def set_private(event: icalendar.Component, private: Mapping[str, str]) -> None:
    if PRIVATE in event:
        del event[PRIVATE]
    for key, value in private.items():
        event.add(PRIVATE, str(value), parameters={KEY: str(key)})


def stamp_now(event: icalendar.Component, now: dt.datetime) -> None:
    """DTSTAMP, LAST-MODIFIED and SEQUENCE of a changed VEVENT."""
    sequence = int(event.get("SEQUENCE", -1)) + 1
    _replace(event, "DTSTAMP", now.astimezone(dt.UTC))
    _replace(event, "LAST-MODIFIED", now.astimezone(dt.UTC))
    _replace(event, "SEQUENCE", sequence)


def new_calendar(uid: str, body: EventBody, now: dt.datetime) -> icalendar.Calendar:
    """A VCALENDAR holding one new VEVENT with ``uid`` (and VTIMEZONEs for its zones)."""
    calendar = icalendar.Calendar()
    calendar.add("PRODID", PRODID)
    calendar.add("VERSION", "2.0")
    event = icalendar.Event()
    event.add("UID", uid)
    apply_body(event, body, now)
    calendar.add_component(event)
    return calendar


def serialize(calendar: icalendar.Calendar) -> str:
    """The calendar as text, with a VTIMEZONE for every named zone it uses."""
    years = [
        value.year
        for event in calendar.walk("VEVENT")
        for value in (_decoded(event, "DTSTART"),)
        if isinstance(value, dt.date)
    ]
    first = min(years, default=dt.date.today().year) - 1
    calendar.add_missing_timezones(dt.date(first, 1, 1), dt.date(first + TIMEZONE_YEARS, 1, 1))
    text: str = calendar.to_ical().decode()
    return text


def parse(text: str) -> icalendar.Calendar:
    """A resource's text as a calendar; ``ValueError`` when it is not iCalendar."""
    parsed = icalendar.Calendar.from_ical(text)
    if not isinstance(parsed, icalendar.Calendar):
        raise ValueError("not a VCALENDAR")
    return parsed
