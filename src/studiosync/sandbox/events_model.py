"""Calendar events: validation and normalisation as Google applies it, and their JSON views."""

from __future__ import annotations

import base64
import re
from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from studiosync.sandbox.errors import GoogleError, api_error, bad_request, required
from studiosync.sandbox.models import Calendar, StoredEvent
from studiosync.sandbox.recurrence import RecurrenceError, build_rules

EVENT_ID = re.compile(r"^[a-v0-9]{5,1024}$")
STATUSES = ("confirmed", "tentative", "cancelled")
RESPONSES = ("needsAction", "declined", "tentative", "accepted")
TRANSPARENCY = ("opaque", "transparent")
VISIBILITY = ("default", "public", "private", "confidential")
EVENT_TYPES = ("default", "outOfOffice", "focusTime", "workingLocation", "birthday", "fromGmail")
TEXT_FIELDS = ("summary", "description", "location", "colorId", "hangoutLink")
FLAG_FIELDS = (
    "guestsCanInviteOthers",
    "guestsCanModify",
    "guestsCanSeeOtherGuests",
    "anyoneCanAddSelf",
    "privateCopy",
    "locked",
    "endTimeUnspecified",
)
TIME_CHANGING = ("start", "end", "recurrence", "location")
STUB_KEYS = ("recurringEventId", "originalStartTime")


def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def parse_when(value: Any, name: str, default_tz: str) -> tuple[dict[str, Any], date | datetime]:
    """A normalised start/end/originalStartTime object and the date or aware datetime it means."""
    if not isinstance(value, dict) or not (value.get("date") or value.get("dateTime")):
        raise required(f"Missing {name} time.")
    if value.get("date") and value.get("dateTime"):
        raise bad_request(f"Invalid {name} time.")
    tz_name = value.get("timeZone")
    if tz_name is not None:
        try:
            ZoneInfo(str(tz_name))
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise bad_request(f"Invalid time zone definition for {name} time.") from error
    out: dict[str, Any] = {}
    if value.get("date"):
        try:
            day = date.fromisoformat(str(value["date"]))
        except ValueError as error:
            raise bad_request(f"Invalid {name} time.") from error
        out["date"] = day.isoformat()
        if tz_name:
            out["timeZone"] = tz_name
        return out, day
    try:
        moment = datetime.fromisoformat(str(value["dateTime"]).replace("z", "Z"))
    except ValueError as error:
        raise bad_request(f"Invalid {name} time.") from error
    if moment.tzinfo is None:
        if not tz_name:
            raise required(f"Missing time zone definition for {name} time.")
        moment = moment.replace(tzinfo=ZoneInfo(str(tz_name)))
    out["dateTime"] = format_datetime(moment)
    if tz_name:
        out["timeZone"] = tz_name
    return out, moment


def format_datetime(moment: datetime) -> str:
    text = moment.replace(microsecond=0).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def instant(point: date | datetime, tz_name: str) -> datetime:
    """The UTC instant a start or end means; dates begin at midnight in ``tz_name``."""
    if isinstance(point, datetime):
        return point.astimezone(UTC)
    return datetime.combine(point, time(), ZoneInfo(tz_name)).astimezone(UTC)


def when_point(value: dict[str, Any]) -> date | datetime:
    """The date or aware datetime of an already normalised start/end object."""
    if "date" in value:
        return date.fromisoformat(value["date"])
    moment = datetime.fromisoformat(value["dateTime"])
    if moment.tzinfo is None and value.get("timeZone"):
        moment = moment.replace(tzinfo=ZoneInfo(value["timeZone"]))
    return moment


def check_event_id(event_id: str) -> None:
    if not EVENT_ID.match(event_id):
        raise api_error(400, "invalid", "Invalid resource id value.")


def html_link(base_url: str, calendar_id: str, event_id: str) -> str:
    eid = base64.urlsafe_b64encode(f"{event_id} {calendar_id}".encode()).decode().rstrip("=")
    return f"{base_url.rstrip('/')}/calendar/event?eid={eid}"


def normalise_event(
    raw: Any,
    *,
    calendar: Calendar,
    actor: str,
    event_id: str,
    now: str,
    base_url: str,
    previous: dict[str, Any] | None = None,
    exception_of: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The stored body for a new version of an event, or the 400 Google answers."""
    if not isinstance(raw, dict):
        raise api_error(400, "parseError", "Parse Error")
    previous = previous or {}
    body: dict[str, Any] = {}
    status = raw.get("status") or "confirmed"
    if status not in STATUSES:
        raise bad_request("Invalid value for: status", location="status")
    body["status"] = status
    body["htmlLink"] = html_link(base_url, calendar.id, event_id)
    body["created"] = previous.get("created", now)
    body["updated"] = now
    for key in TEXT_FIELDS:
        if raw.get(key) is not None:
            body[key] = str(raw[key])
    body["creator"] = previous.get("creator") or {"email": actor}
    body["organizer"] = previous.get("organizer") or _organizer(calendar)
    start, start_point = parse_when(raw.get("start"), "start", calendar.time_zone)
    end, end_point = parse_when(raw.get("end"), "end", calendar.time_zone)
    if isinstance(start_point, datetime) != isinstance(end_point, datetime):
        raise bad_request("Start and end times must either both be date or both be dateTime.")
    if instant(end_point, calendar.time_zone) <= instant(start_point, calendar.time_zone):
        raise api_error(
            400,
            "timeRangeEmpty",
            "The specified time range is empty.",
            domain="calendar",
            location="end",
        )
    body["start"], body["end"] = start, end
    if exception_of is not None:
        body["recurringEventId"] = exception_of["recurringEventId"]
        body["originalStartTime"] = exception_of["originalStartTime"]
    elif raw.get("recurrence"):
        _check_recurrence(raw["recurrence"], start, start_point, calendar)
        body["recurrence"] = [str(line) for line in raw["recurrence"]]
    body["iCalUID"] = previous.get("iCalUID") or str(raw.get("iCalUID") or f"{event_id}@google.com")
    body["sequence"] = _sequence(raw, previous, body)
    for key in FLAG_FIELDS:
        if isinstance(raw.get(key), bool):
            body[key] = raw[key]
    if raw.get("attendees"):
        body["attendees"] = _attendees(raw["attendees"])
    if raw.get("extendedProperties"):
        body["extendedProperties"] = _extended(raw["extendedProperties"])
    body["reminders"] = raw.get("reminders") or {"useDefault": True}
    _enum(raw, body, "transparency", TRANSPARENCY)
    _enum(raw, body, "visibility", VISIBILITY)
    event_type = raw.get("eventType") or previous.get("eventType") or "default"
    if event_type not in EVENT_TYPES:
        raise bad_request("Invalid event type.", location="eventType")
    body["eventType"] = event_type
    return body


def _organizer(calendar: Calendar) -> dict[str, Any]:
    organizer: dict[str, Any] = {"email": calendar.id}
    if calendar.id != calendar.owner:
        organizer["displayName"] = calendar.summary
    return organizer


def _check_recurrence(
    lines: Any, start: dict[str, Any], point: date | datetime, calendar: Calendar
) -> None:
    if isinstance(point, datetime) and not start.get("timeZone"):
        raise required("Missing time zone definition for start time.", location="start.timeZone")
    tz = ZoneInfo(start.get("timeZone") or calendar.time_zone)
    if isinstance(point, datetime):
        point = point.astimezone(tz)
    try:
        build_rules(lines, point, tz)
    except RecurrenceError as error:
        raise bad_request("Invalid recurrence rule.", location="recurrence") from error


def _sequence(raw: dict[str, Any], previous: dict[str, Any], body: dict[str, Any]) -> int:
    current = int(previous.get("sequence", 0))
    asked = raw.get("sequence")
    if asked is not None:
        if not isinstance(asked, int) or asked < current:
            raise bad_request(
                "Invalid sequence value. The specified sequence number is below the current "
                "sequence number of the resource.",
                location="sequence",
            )
        if asked > current:
            return asked
    if previous and any(previous.get(key) != body.get(key) for key in TIME_CHANGING):
        return current + 1
    return current


def _attendees(raw: Any) -> list[dict[str, Any]]:
    if not isinstance(raw, list):
        raise bad_request("Invalid attendee list.", location="attendees")
    result = []
    for entry in raw:
        if not isinstance(entry, dict) or not entry.get("email"):
            raise required("Missing attendee email.", location="attendees.email")
        status = entry.get("responseStatus") or "needsAction"
        if status not in RESPONSES:
            raise bad_request(
                "Invalid attendee response status.", location="attendees.responseStatus"
            )
        attendee = {k: v for k, v in entry.items() if k not in ("self", "id")}
        attendee["email"] = str(entry["email"]).lower()
        attendee["responseStatus"] = status
        result.append(attendee)
    return result


def _extended(raw: Any) -> dict[str, dict[str, str]]:
    if not isinstance(raw, dict):
        raise bad_request("Invalid extended properties.", location="extendedProperties")
    result: dict[str, dict[str, str]] = {}
    for scope in ("private", "shared"):
        values = raw.get(scope)
        if not values:
            continue
        if not isinstance(values, dict):
            raise bad_request(
                "Invalid extended properties.", location=f"extendedProperties.{scope}"
            )
        for key, value in values.items():
            if not isinstance(value, str) or len(key) > 44 or len(value) > 1024:
                raise bad_request(
                    "Invalid extended property value.", location=f"extendedProperties.{scope}"
                )
        result[scope] = dict(values)
    return result


def _enum(raw: dict[str, Any], body: dict[str, Any], key: str, allowed: tuple[str, ...]) -> None:
    value = raw.get(key)
    if value is None:
        return
    if value not in allowed:
        raise bad_request(f"Invalid value for: {key}", location=key)
    body[key] = value


def merge_patch(target: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    """Google's patch semantics: objects merge per key, arrays and scalars replace, null clears."""
    merged = dict(target)
    for key, value in patch.items():
        if value is None:
            merged.pop(key, None)
        elif isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = merge_patch(merged[key], value)
        else:
            merged[key] = value
    return merged


def render(
    event: StoredEvent | None,
    body: dict[str, Any],
    event_id: str,
    etag: str,
    viewer: str,
    calendar: Calendar,
) -> dict[str, Any]:
    """The full JSON of an event as ``viewer`` sees it (``self`` flags are per viewer)."""
    del event
    out: dict[str, Any] = {"kind": "calendar#event", "etag": etag, "id": event_id}
    out.update(body)
    creator = body.get("creator")
    if creator and creator.get("email") == viewer:
        out["creator"] = {**creator, "self": True}
    organizer = body.get("organizer")
    if organizer and (
        organizer.get("email") == viewer
        or (organizer.get("email") == calendar.id and calendar.owner == viewer)
    ):
        out["organizer"] = {**organizer, "self": True}
    attendees = body.get("attendees")
    if attendees:
        out["attendees"] = [
            {**a, "self": True} if a.get("email") == viewer else a for a in attendees
        ]
    return out


def render_stub(event_id: str, etag: str, body: dict[str, Any]) -> dict[str, Any]:
    """What a deleted event or cancelled instance shows in sync: id (and instance keys) only."""
    out: dict[str, Any] = {
        "kind": "calendar#event",
        "etag": etag,
        "id": event_id,
        "status": "cancelled",
    }
    for key in STUB_KEYS:
        if key in body:
            out[key] = body[key]
    return out


def text_matches(body: dict[str, Any], query: str) -> bool:
    """Free-text search over summary, description, location and attendees, word by word."""
    haystack = " ".join(
        [str(body.get(key, "")) for key in ("summary", "description", "location")]
        + [f"{a.get('email', '')} {a.get('displayName', '')}" for a in body.get("attendees", [])]
    ).lower()
    return all(word in haystack for word in query.lower().split())


def properties_match(body: dict[str, Any], scope: str, wanted: list[tuple[str, str]]) -> bool:
    values = body.get("extendedProperties", {}).get(scope, {})
    return all(values.get(key) == value for key, value in wanted)


def check_writable_error() -> GoogleError:
    return api_error(403, "requiredAccessLevel", "You need to have writer access to this calendar.")
