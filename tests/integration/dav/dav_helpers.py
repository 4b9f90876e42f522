"""Event bodies and raw iCalendar the CalDAV integration tests share."""

from __future__ import annotations

import datetime as dt

from studiosync.providers.base import Applied, EventBody, EventTime, Outcome, RemoteEvent

START = dt.datetime(2026, 9, 1, 10, tzinfo=dt.UTC)


def body(summary: str = "Shoot", *, start: dt.datetime = START, **fields: object) -> EventBody:
    """A one-hour timed event in UTC unless told otherwise."""
    values: dict[str, object] = {
        "summary": summary,
        "description": "",
        "location": "",
        "start": EventTime(date_time=start),
        "end": EventTime(date_time=start + dt.timedelta(hours=1)),
        "time_zone": "UTC",
        "private": {"studiosyncAppointment": "42"},
    }
    values.update(fields)
    return EventBody(**values)  # type: ignore[arg-type]


def applied(outcome: Outcome) -> RemoteEvent:
    """The stored event of an outcome that must be a success."""
    assert isinstance(outcome, Applied), outcome
    assert outcome.event is not None
    return outcome.event


def vevent_calendar(*components: str) -> str:
    """A VCALENDAR around raw VEVENT texts, as another client would write it."""
    inner = "\r\n".join(part.strip().replace("\n", "\r\n") for part in components)
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Other client//EN\r\n"
        f"{inner}\r\nEND:VCALENDAR\r\n"
    )
