"""Google Calendar and People JSON to the provider's plain records, and back."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from sys import intern
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from studiosync.providers.base import (
    Attendee,
    CalendarInfo,
    EventBody,
    EventTime,
    RemoteContact,
    RemoteEvent,
)

Json = Mapping[str, Any]

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
"""Characters no studio text holds: control characters (but tab and line breaks), lone
surrogates and non-characters. PostgreSQL refuses NUL outright; the others are noise."""


def clean_text(value: object) -> str:
    """Text from Google as the studio keeps it: the characters above removed."""
    return _CONTROL.sub("", str(value or ""))


def _instant(text: str) -> dt.datetime:
    value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    if value.utcoffset() is None:
        raise ValueError("a dateTime without an offset")
    return value


def _time(raw: Json | None) -> EventTime | None:
    if not raw:
        return None
    if raw.get("dateTime"):
        return EventTime(date_time=_instant(str(raw["dateTime"])))
    if raw.get("date"):
        return EventTime(date=dt.date.fromisoformat(str(raw["date"])))
    return None


def _zone(name: object) -> str | None:
    if not name:
        return None
    ZoneInfo(str(name))  # raises for a zone that does not exist
    return str(name)


def event_from_json(raw: Json, calendar_zone: str | None = None) -> RemoteEvent:
    """An event as the engine sees it; what cannot be read is named in ``unreadable``.

    Words every event repeats (status, type, time zone, private property names and the
    studio's values) are interned: a full listing holds every event of the calendar at once.
    """
    event_id = str(raw.get("id", ""))
    status = intern(str(raw.get("status") or "confirmed"))
    unreadable: str | None = None
    start = end = original = None
    zone = calendar_zone
    updated = None
    try:
        start, end = _time(raw.get("start")), _time(raw.get("end"))
    except ValueError:
        unreadable = "start/end"
    try:
        original = _time(raw.get("originalStartTime"))
    except ValueError:
        unreadable = unreadable or "originalStartTime"
    try:
        zone = _zone((raw.get("start") or {}).get("timeZone")) or calendar_zone
    except (ZoneInfoNotFoundError, ValueError):
        unreadable = unreadable or "timeZone"
    try:
        updated = _instant(str(raw["updated"])) if raw.get("updated") else None
    except ValueError:
        unreadable = unreadable or "updated"
    if status != "cancelled" and unreadable is None and (start is None or end is None):
        unreadable = "start" if start is None else "end"
    attendees = tuple(
        Attendee(
            email=clean_text(person.get("email")),
            response_status=str(person.get("responseStatus") or "needsAction"),
            is_self=bool(person.get("self", False)),
        )
        for person in raw.get("attendees") or ()
    )
    private = (raw.get("extendedProperties") or {}).get("private") or {}
    return RemoteEvent(
        id=event_id,
        status=status,
        etag=raw.get("etag"),
        summary=clean_text(raw.get("summary")),
        description=clean_text(raw.get("description")),
        location=clean_text(raw.get("location")),
        start=start,
        end=end,
        time_zone=intern(zone) if zone else zone,
        updated=updated,
        event_type=intern(str(raw.get("eventType") or "default")),
        private={intern(str(k)): intern(str(v)) for k, v in private.items()},
        attendees=attendees,
        recurring_event_id=raw.get("recurringEventId"),
        original_start=original,
        unreadable=unreadable,
        recurrence=tuple(clean_text(line) for line in raw.get("recurrence") or ()),
    )


def _time_json(value: EventTime, zone: str) -> dict[str, str]:
    if value.date is not None:
        return {"date": value.date.isoformat()}
    assert value.date_time is not None
    return {"dateTime": value.date_time.isoformat(), "timeZone": zone}


def body_to_json(body: EventBody, event_id: str | None = None) -> dict[str, Any]:
    """The request body for insert (with our chosen id) or update."""
    payload: dict[str, Any] = {
        "summary": body.summary,
        "description": body.description,
        "location": body.location,
        "start": _time_json(body.start, body.time_zone),
        "end": _time_json(body.end, body.time_zone),
        "status": body.status,
        "extendedProperties": {"private": dict(body.private)},
    }
    if event_id is not None:
        payload["id"] = event_id
    return payload


def calendar_from_json(raw: Json) -> CalendarInfo:
    return CalendarInfo(
        id=str(raw["id"]),
        summary=str(raw.get("summaryOverride") or raw.get("summary") or raw["id"]),
        access_role=str(raw.get("accessRole", "reader")),
        primary=bool(raw.get("primary", False)),
        time_zone=str(raw.get("timeZone") or "UTC"),
    )


def _texts(entries: Any) -> tuple[str, ...]:
    return tuple(clean_text(item["value"]) for item in entries or () if item.get("value"))


def contact_from_json(raw: Json) -> RemoteContact:
    metadata = raw.get("metadata") or {}
    names = raw.get("names") or []
    return RemoteContact(
        resource_name=str(raw.get("resourceName", "")),
        etag=raw.get("etag"),
        display_name=clean_text(names[0].get("displayName")) if names else "",
        emails=_texts(raw.get("emailAddresses")),
        phones=_texts(raw.get("phoneNumbers")),
        deleted=bool(metadata.get("deleted", False)),
    )
