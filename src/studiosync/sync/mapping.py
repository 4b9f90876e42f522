"""Translation between appointments and events: ids, private properties, content, checks.

An appointment made in the studio shows in Google as its summary template says (the title by
default), its notes then the client's contact lines as the description, and its resources then
its location text as the location — each within Google's limits (``compose``), so the studio
can always read back what it wrote. Appointments that came from Google show their own words,
so they round-trip exactly. Which Google edits come back is decided field by field (``merge``).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from studiosync.errors import BadRemoteDataError, ErrorCode
from studiosync.providers.base import (
    EventBody,
    EventStatus,
    EventTime,
    RemoteEvent,
    ResponseStatus,
)
from studiosync.sync import privacy
from studiosync.sync.compose import (
    DEFAULT_TEMPLATE,
    MAX_DESCRIPTION,
    MAX_LOCATION,
    MAX_SUMMARY,
    compose_description,
    compose_location,
    cut,
    render_template,
)
from studiosync.sync.records import (
    AllDaySpan,
    AppointmentDraft,
    AppointmentStatus,
    EventContent,
    MappingEntry,
    Side,
    Span,
    StudioAppointment,
    TimedSpan,
)

APPOINTMENT_PROPERTY = "studiosyncAppointment"
STUDIO_PROPERTY = "studiosyncStudio"
USER_PROPERTY = "studiosyncUser"


APPOINTMENT_EVENT_TYPES = frozenset({"default", "fromGmail"})
OTHER_EVENT_TYPES = frozenset({"focusTime", "outOfOffice", "workingLocation", "birthday"})


def event_id_for(studio_tag: str, user_id: int, appointment_id: int) -> str:
    """The id of the event made for an appointment in one user's calendar.

    Only base32hex characters (a–v, 0–9): the tag and numbers are hexadecimal and the letters
    g and h separate them, so different appointments can never share an id.
    """
    return f"ss{studio_tag}g{user_id:x}h{appointment_id:x}"


def next_event_id(event_id: str) -> str:
    """The id to try when ``event_id`` already belongs to another appointment's event.

    A suffix ``i`` + a hexadecimal counter keeps ids base32hex and distinct from first choices.
    """
    base, _, counter = event_id.partition("i")
    return f"{base}i{int(counter or '0', 16) + 1:x}"


def import_key(event_id: str, replaced: MappingEntry | None = None) -> str:
    """The key the studio keeps an appointment made from a Google event under.

    Making an appointment from an event is idempotent per key, so a run that stopped before
    linking it gets the same appointment back. A new event's appointment is kept under the event
    id. When Google's version of an event wins over an appointment that left this user, the
    event is made into an appointment once more: that one is kept under the event id and the
    link it replaces (appointment and version), which no earlier import of the event used.
    """
    if replaced is None:
        return event_id
    return f"{event_id}~{replaced.appointment_id:x}v{replaced.studio_version:x}"


def import_keys(key: str) -> Iterator[str]:
    """``key``, then ``key`` with a counter: where an appointment made earlier still holds it."""
    yield key
    for attempt in itertools.count(1):
        yield f"{key}#{attempt}"


def private_properties(studio_tag: str, user_id: int, appointment_id: int) -> dict[str, str]:
    """The ``extendedProperties.private`` that name the appointment an event was made for."""
    return {
        APPOINTMENT_PROPERTY: str(appointment_id),
        STUDIO_PROPERTY: studio_tag,
        USER_PROPERTY: str(user_id),
    }


def claimed_appointment(event: RemoteEvent, studio_tag: str, user_id: int) -> int | None:
    """The appointment id an event says it was made for by this studio and user, if any."""
    props = event.private
    if props.get(STUDIO_PROPERTY) != studio_tag or props.get(USER_PROPERTY) != str(user_id):
        return None
    value = props.get(APPOINTMENT_PROPERTY, "")
    return int(value) if value.isdigit() else None


def contact_lines(appointment: StudioAppointment) -> str:
    """The client's phone and email, as the description shows them after the notes."""
    client = appointment.client
    if client is None:
        return ""
    lines = [
        f"Phone: {client.phone}" if client.phone else "",
        f"Email: {client.email}" if client.email else "",
    ]
    return "\n".join(line for line in lines if line)


def shown_contact_lines(appointment: StudioAppointment) -> str:
    """The contact lines the event shows: none when the user's privacy choice hides the client."""
    return contact_lines(appointment) if privacy.shares_client(appointment) else ""


def template_values(appointment: StudioAppointment) -> dict[str, str]:
    """The named fields a summary template may show."""
    return {
        "title": appointment.title,
        "type": appointment.type,
        "client": appointment.client.name if appointment.client else "",
        "room": ", ".join(appointment.rooms),
    }


def project(appointment: StudioAppointment, template: str = DEFAULT_TEMPLATE) -> EventContent:
    """How a live appointment shows in Google (always within Google's limits)."""
    if appointment.origin is Side.GOOGLE:
        summary = appointment.title
    else:
        summary = render_template(template, template_values(appointment)) or appointment.title
    status = (
        EventStatus.TENTATIVE
        if appointment.status == AppointmentStatus.TENTATIVE
        else EventStatus.CONFIRMED
    )
    content = EventContent(
        summary=cut(summary, MAX_SUMMARY),
        description=compose_description(appointment.notes, shown_contact_lines(appointment)),
        location=compose_location(list(appointment.resources), appointment.location),
        span=appointment.span,
        status=status,
    )
    return privacy.shown(content, appointment)


def _event_time(span: Span, which: str) -> EventTime:
    if isinstance(span, TimedSpan):
        instant = span.start if which == "start" else span.end
        return EventTime(date_time=instant.astimezone(ZoneInfo(span.time_zone)))
    return EventTime(date=span.start if which == "start" else span.end)


def body_for(content: EventContent, private: dict[str, str]) -> EventBody:
    """The event body to write for some content."""
    return EventBody(
        summary=content.summary,
        description=content.description,
        location=content.location,
        start=_event_time(content.span, "start"),
        end=_event_time(content.span, "end"),
        time_zone=content.span.time_zone,
        status=content.status,
        private=private,
    )


def _bad(event: RemoteEvent, reason: str) -> BadRemoteDataError:
    return BadRemoteDataError(
        ErrorCode.SYNC_BAD_EVENT_SKIPPED, event_id=event.id, title=event.summary, reason=reason
    )


def _zone(event: RemoteEvent) -> str:
    name = event.time_zone or "UTC"
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise _bad(event, f"unknown time zone {name[:64]!r}") from exc
    return name


def _span(event: RemoteEvent) -> Span:
    start, end = event.start, event.end
    if start is None or end is None:
        raise _bad(event, "no start or end")
    zone = _zone(event)
    if start.date_time is not None and end.date_time is not None:
        if end.date_time <= start.date_time:
            raise _bad(event, "it ends before it starts")
        return TimedSpan(start.date_time, end.date_time, zone)
    if start.date is not None and end.date is not None:
        if end.date <= start.date:
            raise _bad(event, "it ends before it starts")
        return AllDaySpan(start.date, end.date, zone)
    raise _bad(event, "start and end mix a date and a time")


def read_event(event: RemoteEvent) -> EventContent:
    """The content of a live event, or ``BadRemoteDataError`` naming why it cannot be read."""
    if event.unreadable:
        raise _bad(event, f"unreadable {event.unreadable}")
    if event.event_type not in APPOINTMENT_EVENT_TYPES | OTHER_EVENT_TYPES:
        raise _bad(event, f"unknown event type {event.event_type[:40]!r}")
    for name, text, limit in (
        ("summary", event.summary, MAX_SUMMARY),
        ("location", event.location, MAX_LOCATION),
        ("description", event.description, MAX_DESCRIPTION),
    ):
        if len(text) > limit:
            raise _bad(event, f"{name} longer than {limit} characters")
    status = EventStatus.TENTATIVE if event.status == EventStatus.TENTATIVE else "confirmed"
    return EventContent(
        summary=event.summary,
        description=event.description,
        location=event.location,
        span=_span(event),
        status=status,
    )


def is_appointment(event: RemoteEvent) -> bool:
    """Whether an event is a regular one (not focus time, out of office, birthdays...)."""
    return event.event_type in APPOINTMENT_EVENT_TYPES


def awaits_answer(event: RemoteEvent) -> bool:
    """Tentative: the event says so, or the user has not said yes to the invitation."""
    if event.status == EventStatus.TENTATIVE:
        return True
    unsure = (ResponseStatus.NEEDS_ACTION, ResponseStatus.TENTATIVE)
    return any(person.is_self and person.response_status in unsure for person in event.attendees)


def declined(event: RemoteEvent) -> bool:
    return any(
        person.is_self and person.response_status == ResponseStatus.DECLINED
        for person in event.attendees
    )


def draft_from(content: EventContent) -> AppointmentDraft:
    """A new appointment made from a Google event takes every field from it."""
    status = (
        AppointmentStatus.TENTATIVE
        if content.status == EventStatus.TENTATIVE
        else AppointmentStatus.CONFIRMED
    )
    return AppointmentDraft(
        title=content.summary,
        span=content.span,
        status=status,
        location=content.location,
        notes=content.description,
    )


def updated_at(event: RemoteEvent) -> dt.datetime:
    """When the event last changed (the oldest time when Google did not say)."""
    return event.updated or dt.datetime.min.replace(tzinfo=dt.UTC)
