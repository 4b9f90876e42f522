"""A weekly series is one resource: instances listed, one moved and one cancelled, both ways."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from dav_helpers import applied, body, vevent_calendar

from studiosync.clock import FakeClock
from studiosync.providers.base import Applied, DeleteEvent, EventTime, UpdateEvent
from studiosync.providers.caldav.provider import CalDavProvider, connect
from studiosync.testing.dav_servers import DavServer

BERLIN = ZoneInfo("Europe/Berlin")
NOW = dt.datetime(2026, 8, 1, tzinfo=dt.UTC)
WEEKLY = """
BEGIN:VEVENT
UID:weekly-class
DTSTAMP:20260801T080000Z
DTSTART;TZID=Europe/Berlin:20260907T090000
DTEND;TZID=Europe/Berlin:20260907T100000
RRULE:FREQ=WEEKLY;COUNT=4
SUMMARY:Portrait class
END:VEVENT
"""
IDS = [
    "weekly-class@20260907T070000Z",
    "weekly-class@20260914T070000Z",
    "weekly-class@20260921T070000Z",
    "weekly-class@20260928T070000Z",
]


@pytest.fixture
def series(dav_server: DavServer, calendar_url: str) -> CalDavProvider:
    """A provider whose clock says August 2026, over a calendar holding the weekly series."""
    dav_server.put(calendar_url + "weekly-class.ics", vevent_calendar(WEEKLY))
    return connect(
        dav_server.url,
        dav_server.username,
        dav_server.password,
        verify=dav_server.verify,
        clock=FakeClock(NOW),
    )


def test_a_series_is_listed_as_its_instances_sharing_the_resource_etag(
    series: CalDavProvider, calendar_url: str
) -> None:
    events = series.changes(calendar_url, None).events
    assert [e.id for e in events] == IDS
    assert {e.recurring_event_id for e in events} == {"weekly-class"}
    assert len({e.etag for e in events}) == 1
    assert events[1].original_start == EventTime(
        date_time=dt.datetime(2026, 9, 14, 9, tzinfo=BERLIN)
    )
    master = series.get_event(calendar_url, "weekly-class")
    assert master.recurrence and master.recurrence[0].startswith("RRULE:FREQ=WEEKLY")
    assert series.series_is_one_resource


def test_the_studio_moves_one_instance_and_cancels_another(
    series: CalDavProvider, calendar_url: str
) -> None:
    listing = series.changes(calendar_url, None)
    etag = listing.events[0].etag
    moved_start = dt.datetime(2026, 9, 15, 14, tzinfo=BERLIN)
    moved = body(
        "Portrait class (moved)",
        start=moved_start,
        time_zone="Europe/Berlin",
        end=EventTime(date_time=moved_start + dt.timedelta(hours=1)),
    )
    [update] = series.apply(calendar_url, [UpdateEvent(IDS[1], moved, etag)])
    new_etag = applied(update).etag
    assert applied(update).start == EventTime(date_time=moved_start)
    assert new_etag != etag
    # the series' etag moved on by our own write only: the sibling's write with the etag it
    # was listed with still lands (someone else's change would be refused: the contract suite)
    assert series.apply(calendar_url, [DeleteEvent(IDS[2], etag)]) == [Applied(None)]

    raw = series.http.send("GET", calendar_url + "weekly-class.ics").text
    assert "RECURRENCE-ID;TZID=Europe/Berlin:20260914T090000" in raw
    assert "EXDATE;TZID=Europe/Berlin:20260921T090000" in raw
    changes = series.changes(calendar_url, listing.next_sync_token).events
    by_id = {e.id: e for e in changes}
    assert by_id[IDS[1]].summary == "Portrait class (moved)"
    assert by_id[IDS[2]].cancelled
    assert [e.id for e in series.changes(calendar_url, None).events] == [IDS[0], IDS[1], IDS[3]]
    assert series.get_event(calendar_url, IDS[2]).cancelled


def test_another_client_moves_and_cancels_instances_and_the_studio_sees_both(
    dav_server: DavServer, series: CalDavProvider, calendar_url: str
) -> None:
    listing = series.changes(calendar_url, None)
    edited = WEEKLY.replace(
        "RRULE:FREQ=WEEKLY;COUNT=4",
        "RRULE:FREQ=WEEKLY;COUNT=4\nEXDATE;TZID=Europe/Berlin:20260928T090000",
    )
    override = """
BEGIN:VEVENT
UID:weekly-class
DTSTAMP:20260801T090000Z
RECURRENCE-ID;TZID=Europe/Berlin:20260907T090000
DTSTART;TZID=Europe/Berlin:20260908T110000
DTEND;TZID=Europe/Berlin:20260908T120000
SUMMARY:Portrait class\\, Tuesday this week
STATUS:TENTATIVE
END:VEVENT
"""
    dav_server.put(calendar_url + "weekly-class.ics", vevent_calendar(edited, override))
    changes = {e.id: e for e in series.changes(calendar_url, listing.next_sync_token).events}
    assert set(changes) == set(IDS)
    first = changes[IDS[0]]
    assert first.summary == "Portrait class, Tuesday this week" and first.status == "tentative"
    assert first.start == EventTime(date_time=dt.datetime(2026, 9, 8, 11, tzinfo=BERLIN))
    assert first.original_start == EventTime(date_time=dt.datetime(2026, 9, 7, 9, tzinfo=BERLIN))
    assert changes[IDS[3]].cancelled and changes[IDS[3]].recurring_event_id == "weekly-class"
    assert not changes[IDS[1]].cancelled


def test_deleting_the_whole_series_is_one_cancelled_stub_for_the_series(
    dav_server: DavServer, series: CalDavProvider, calendar_url: str
) -> None:
    listing = series.changes(calendar_url, None)
    dav_server.delete(calendar_url + "weekly-class.ics")
    [stub] = series.changes(calendar_url, listing.next_sync_token).events
    assert stub.id == "weekly-class" and stub.cancelled
