"""What the studio writes comes back as written: all-day, zones, status, private properties."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from dav_helpers import applied, body

from studiosync.providers.base import EventBody, EventStatus, EventTime, InsertEvent, RemoteEvent
from studiosync.providers.caldav.provider import CalDavProvider
from studiosync.testing.dav_servers import DavServer

BERLIN = ZoneInfo("Europe/Berlin")


def _listed(provider: CalDavProvider, url: str, event_id: str) -> RemoteEvent:
    [event] = [e for e in provider.changes(url, None).events if e.id == event_id]
    return event


def test_an_all_day_event_keeps_its_dates_and_exclusive_end(
    dav_server: DavServer, provider: CalDavProvider, calendar_url: str
) -> None:
    days = EventBody(
        "Wedding weekend",
        "",
        "",
        EventTime(date=dt.date(2026, 9, 5)),
        EventTime(date=dt.date(2026, 9, 7)),
        "Europe/Berlin",
    )
    applied(provider.apply(calendar_url, [InsertEvent("allday01", days)])[0])
    event = _listed(provider, calendar_url, "allday01")
    assert event.start == EventTime(date=dt.date(2026, 9, 5))
    assert event.end == EventTime(date=dt.date(2026, 9, 7))
    raw = provider.http.send("GET", calendar_url + "allday01.ics").text
    assert "DTSTART;VALUE=DATE:20260905" in raw and "DTEND;VALUE=DATE:20260907" in raw


def test_a_berlin_event_is_written_in_its_zone_with_a_vtimezone(
    provider: CalDavProvider, calendar_url: str
) -> None:
    start = dt.datetime(2026, 10, 24, 18, 30, tzinfo=BERLIN)  # the day before DST ends
    timed = body(
        "Evening shoot",
        start=start,
        time_zone="Europe/Berlin",
        end=EventTime(date_time=start + dt.timedelta(hours=2)),
    )
    applied(provider.apply(calendar_url, [InsertEvent("berlin01", timed)])[0])
    raw = provider.http.send("GET", calendar_url + "berlin01.ics").text
    assert "DTSTART;TZID=Europe/Berlin:20261024T183000" in raw
    assert "BEGIN:VTIMEZONE" in raw and "TZID:Europe/Berlin" in raw
    event = _listed(provider, calendar_url, "berlin01")
    assert event.time_zone == "Europe/Berlin"
    assert event.start is not None and event.start.date_time == start
    assert event.start.date_time.utcoffset() == dt.timedelta(hours=2)


def test_tentative_status_and_private_properties_round_trip(
    provider: CalDavProvider, calendar_url: str
) -> None:
    private = {"studiosyncAppointment": "77", "studiosyncStudio": "main-Studio", "user": "4"}
    maybe = body("Maybe", status=EventStatus.TENTATIVE, private=private)
    applied(provider.apply(calendar_url, [InsertEvent("tent0001", maybe)])[0])
    event = _listed(provider, calendar_url, "tent0001")
    assert event.status == EventStatus.TENTATIVE
    assert dict(event.private) == private
    raw = provider.http.send("GET", calendar_url + "tent0001.ics").text
    assert (
        "STATUS:TENTATIVE" in raw and "X-STUDIOSYNC-PRIVATE;X-KEY=studiosyncAppointment:77" in raw
    )
