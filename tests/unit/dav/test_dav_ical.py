"""iCalendar and vCard conversion of the CalDAV provider, without a server."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from studiosync.errors import SyncTokenExpiredError
from studiosync.providers.base import EventBody, EventStatus, EventTime, RemoteEvent
from studiosync.providers.caldav import series
from studiosync.providers.caldav.ical import event_from_vevent, new_calendar, parse, serialize
from studiosync.providers.caldav.sync import CALENDAR, name_of, pack_etags, unpack_etags
from studiosync.providers.caldav.vcard import contact_from_vcard

BERLIN = ZoneInfo("Europe/Berlin")
NOW = dt.datetime(2026, 8, 1, 12, tzinfo=dt.UTC)
WIDE = series.Window(dt.datetime(2026, 1, 1, tzinfo=dt.UTC), dt.datetime(2027, 1, 1, tzinfo=dt.UTC))


def _round_trip(body: EventBody, zone: str = "UTC") -> tuple[str, RemoteEvent]:
    text = serialize(new_calendar("uid0001", body, NOW))
    [event] = series.events_of(
        text, series_id="uid0001", etag='"1"', calendar_zone=zone, window=WIDE, with_cancelled=True
    )
    return text, event


def _timed(at: dt.datetime, zone: str, **fields: object) -> EventBody:
    values: dict[str, object] = {
        "summary": "Shoot, with a comma; and semicolon",
        "description": "Line one\nLine two",
        "location": "Studio 2",
        "start": EventTime(date_time=at),
        "end": EventTime(date_time=at + dt.timedelta(hours=1)),
        "time_zone": zone,
    }
    values.update(fields)
    return EventBody(**values)  # type: ignore[arg-type]


def test_a_berlin_event_round_trips_in_its_zone_with_a_vtimezone() -> None:
    start = dt.datetime(2026, 3, 29, 3, 30, tzinfo=BERLIN)  # just after the spring change
    text, event = _round_trip(_timed(start, "Europe/Berlin"))
    assert "DTSTART;TZID=Europe/Berlin:20260329T033000" in text
    assert "BEGIN:VTIMEZONE" in text
    assert event.start == EventTime(date_time=start)
    assert event.time_zone == "Europe/Berlin"
    assert event.summary == "Shoot, with a comma; and semicolon"
    assert event.description == "Line one\nLine two"


def test_a_utc_instant_is_written_in_the_body_zone() -> None:
    start = dt.datetime(2026, 7, 1, 8, tzinfo=dt.UTC)
    text, event = _round_trip(_timed(start, "Europe/Berlin"))
    assert "DTSTART;TZID=Europe/Berlin:20260701T100000" in text
    assert event.start is not None and event.start.date_time == start


def test_utc_stays_utc() -> None:
    start = dt.datetime(2026, 7, 1, 8, tzinfo=dt.UTC)
    text, event = _round_trip(_timed(start, "UTC"))
    assert "DTSTART:20260701T080000Z" in text and "VTIMEZONE" not in text
    assert event.time_zone == "UTC"


def test_all_day_is_dates_with_an_exclusive_end() -> None:
    body = _timed(
        NOW,
        "UTC",
        start=EventTime(date=dt.date(2026, 9, 5)),
        end=EventTime(date=dt.date(2026, 9, 6)),
    )
    text, event = _round_trip(body)
    assert "DTSTART;VALUE=DATE:20260905" in text and "DTEND;VALUE=DATE:20260906" in text
    assert event.start == EventTime(date=dt.date(2026, 9, 5))
    assert event.end == EventTime(date=dt.date(2026, 9, 6))


@pytest.mark.parametrize("status", list(EventStatus))
def test_status_and_private_properties_round_trip(status: EventStatus) -> None:
    private = {"studiosyncAppointment": "12", "Mixed_Case-key": "v a l"}
    text, event = _round_trip(_timed(NOW, "UTC", status=status, private=private))
    assert f"STATUS:{status.upper()}" in text
    assert event.status == status
    assert dict(event.private) == private


def _vevent(*lines: str) -> str:
    body = "\r\n".join(lines)
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:u1\r\n"
        f"{body}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )


def test_a_floating_time_is_read_in_the_calendar_zone_and_duration_gives_the_end() -> None:
    [event] = series.events_of(
        _vevent("DTSTART:20260905T100000", "DURATION:PT90M"),
        series_id="u1",
        etag=None,
        calendar_zone="Europe/Berlin",
        window=WIDE,
        with_cancelled=False,
    )
    assert event.start == EventTime(date_time=dt.datetime(2026, 9, 5, 10, tzinfo=BERLIN))
    assert event.end == EventTime(date_time=dt.datetime(2026, 9, 5, 11, 30, tzinfo=BERLIN))


def test_a_missing_end_is_one_day_for_a_date() -> None:
    [event] = series.events_of(
        _vevent("DTSTART;VALUE=DATE:20260905"),
        series_id="u1",
        etag=None,
        calendar_zone="UTC",
        window=WIDE,
        with_cancelled=False,
    )
    assert event.end == EventTime(date=dt.date(2026, 9, 6))


def test_an_event_without_a_start_is_named_unreadable() -> None:
    calendar = parse(_vevent("SUMMARY:No start"))
    event = event_from_vevent(
        calendar.walk("VEVENT")[0], event_id="u1", etag=None, calendar_zone="UTC"
    )
    assert event.unreadable == "start/end"


SERIES = _vevent(
    "DTSTART;TZID=Europe/Berlin:20260907T090000",
    "DTEND;TZID=Europe/Berlin:20260907T100000",
    "RRULE:FREQ=WEEKLY;COUNT=3",
    "SUMMARY:Class",
)


def test_a_series_is_expanded_into_instance_ids_in_utc() -> None:
    events = series.events_of(
        SERIES, series_id="u1", etag='"e"', calendar_zone="UTC", window=WIDE, with_cancelled=False
    )
    assert [e.id for e in events] == [
        "u1@20260907T070000Z",
        "u1@20260914T070000Z",
        "u1@20260921T070000Z",
    ]
    assert series.split_id("u1@20260914T070000Z") == ("u1", "20260914T070000Z")
    assert series.split_id("someone@example.com") == ("someone@example.com", None)


def test_editing_and_cancelling_instances_write_an_override_and_an_exdate() -> None:
    start = dt.datetime(2026, 9, 15, 14, tzinfo=BERLIN)
    edited = series.edit_instance(
        SERIES, "20260914T070000Z", _timed(start, "Europe/Berlin", summary="Moved"), "UTC", NOW
    )
    assert "RECURRENCE-ID;TZID=Europe/Berlin:20260914T090000" in edited
    cancelled = series.cancel_instance(edited, "20260921T070000Z", "UTC", NOW)
    assert "EXDATE;TZID=Europe/Berlin:20260921T090000" in cancelled
    live = series.events_of(
        cancelled, series_id="u1", etag=None, calendar_zone="UTC", window=WIDE, with_cancelled=False
    )
    assert [(e.id, e.summary) for e in live] == [
        ("u1@20260907T070000Z", "Class"),
        ("u1@20260914T070000Z", "Moved"),
    ]
    with_stubs = series.events_of(
        cancelled, series_id="u1", etag=None, calendar_zone="UTC", window=WIDE, with_cancelled=True
    )
    assert [e.id for e in with_stubs if e.cancelled] == ["u1@20260921T070000Z"]
    # cancelling an edited occurrence drops its override too
    again = series.cancel_instance(cancelled, "20260914T070000Z", "UTC", NOW)
    assert "RECURRENCE-ID" not in again


def test_the_etag_token_round_trips_and_a_broken_one_expires() -> None:
    token = pack_etags("ctag-1", {"a.ics": '"1"', "b c.ics": '"2"'})
    assert unpack_etags(token, CALENDAR) == ("ctag-1", {"a.ics": '"1"', "b c.ics": '"2"'})
    with pytest.raises(SyncTokenExpiredError):
        unpack_etags("et:not-base64-json", CALENDAR)
    assert name_of("/maya/cal/b%20c.ics", "http://h/maya/cal/") == "b c.ics"
    assert name_of("/maya/cal/", "http://h/maya/cal/") is None


def test_a_vcard_is_a_contact() -> None:
    card = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann Lee\r\nN:Lee;Ann;;;\r\n"
        "EMAIL:ann@example.com\r\nEMAIL:ann@work.example\r\nTEL:+49 30 1\r\nEND:VCARD\r\n"
    )
    contact = contact_from_vcard(card, name="ann.vcf", etag='"9"')
    assert contact.resource_name == "dav:ann.vcf"
    assert contact.display_name == "Ann Lee"
    assert contact.emails == ("ann@example.com", "ann@work.example")
    assert contact.phones == ("+49 30 1",)
    with pytest.raises(ValueError):
        contact_from_vcard("not a card", name="x.vcf", etag=None)
