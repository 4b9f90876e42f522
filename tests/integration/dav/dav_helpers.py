"""Event bodies and raw iCalendar the CalDAV integration tests share."""

from __future__ import annotations

import datetime as dt
import itertools
import uuid

from studiosync.accounts.calendars import select_calendar
from studiosync.accounts.dav_linking import link_dav
from studiosync.accounts.endpoints import google_endpoints
from studiosync.context import Studio
from studiosync.providers.base import Applied, EventBody, EventTime, Outcome, RemoteEvent
from studiosync.studio import people
from studiosync.studio.google_options import set_google_settings
from studiosync.syncstate.runner import sync_user
from studiosync.testing.dav_servers import DavServer

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


_names = itertools.count(1)
SOON = (dt.datetime.now(dt.UTC) + dt.timedelta(days=2)).replace(
    hour=10, minute=0, second=0, microsecond=0
)


def new_user(studio: Studio, login: str) -> int:
    with studio.transaction() as session:
        return people.create_user(session, login=login).id


def linked_user(studio: Studio, server: DavServer, login: str) -> tuple[int, str]:
    """A user connected to the server's account, syncing two-way with a fresh calendar, after
    the first run (which starts from what both sides hold then)."""
    studio.settings.dav_ca_bundle = server.ca_file
    user_id = new_user(studio, login)
    name = f"bookings-{next(_names)}-{uuid.uuid4().hex[:6]}"
    calendar = server.make_calendar(name)
    link_dav(studio, login, server.url, server.username, server.password)
    chosen = select_calendar(studio, google_endpoints(studio.settings), login, name)
    assert chosen.id.rstrip("/") == calendar.rstrip("/")
    with studio.transaction() as session:
        set_google_settings(
            session, login, enabled=True, two_way=True, warnings_email=f"{login}@studio.example"
        )
    first = sync_user(studio, user_id)
    assert first.ok, first.log
    return user_id, calendar
