"""What comes back from Google, over the real stack: two-way pulls, tentative, series, echoes."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from google_world import START, Desk, Linked, logged
from sqlalchemy import event

from studiosync.errors import ErrorCode
from studiosync.studio.models import AppointmentStatus, Origin

pytestmark = pytest.mark.shared_sandbox  # one sandbox Google per module

EVENTS = "/calendar/v3/calendars/{calendarId}/events"
BATCH = "/batch/calendar/v3"


def _linked(desk: Desk, **options: Any) -> Linked:
    user = desk.link("maya", **options)
    desk.sync(user)  # the first run starts at the feed's head and takes Google's token
    return user


def test_without_two_way_google_changes_are_left_alone(desk: Desk) -> None:
    maya = _linked(desk)
    edited = desk.book(maya, title="Edited on the phone")
    deleted = desk.book(maya, title="Deleted on the phone")
    desk.sync(maya)
    desk.add_event(maya, "Dentist")
    desk.change_event(
        maya,
        desk.event_id(maya, edited),
        start={"dateTime": "2026-12-01T15:00:00Z"},
        end={"dateTime": "2026-12-01T16:00:00Z"},
    )
    desk.drop_event(maya, desk.event_id(maya, deleted))
    desk.google.clear_stats()
    result = desk.sync(maya)
    assert result.ok and result.counts.pulled == result.counts.updated == 0
    assert desk.google.count("GET", EVENTS) == 0  # one-way: Google is not even read
    assert [a.id for a in desk.appointments_of(maya)] == [edited, deleted]
    kept = desk.appointment(edited)
    assert kept is not None and kept.start_at == START


def test_with_two_way_new_edited_and_deleted_events_reach_the_studio(desk: Desk) -> None:
    maya = _linked(desk, two_way=True)
    dentist = desk.add_event(
        maya,
        "Dentist",
        location="Main Street",
        description="Check-up",
        start={"dateTime": "2026-12-02T09:00:00+01:00", "timeZone": "Europe/Paris"},
        end={"dateTime": "2026-12-02T10:00:00+01:00", "timeZone": "Europe/Paris"},
    )
    holiday = desk.add_event(
        maya, "Holiday", start={"date": "2026-12-20"}, end={"date": "2026-12-23"}
    )
    result = desk.sync(maya)
    assert result.ok and result.counts.pulled == 2
    made = {a.title: a for a in desk.appointments_of(maya)}
    pulled = made["Dentist"]
    assert (pulled.type, pulled.origin, pulled.status) == (
        "Google",
        Origin.GOOGLE,
        AppointmentStatus.CONFIRMED,
    )
    assert (pulled.location, pulled.notes, pulled.time_zone) == (
        "Main Street",
        "Check-up",
        "Europe/Paris",
    )
    assert pulled.start_at == dt.datetime(2026, 12, 2, 8, 0, tzinfo=dt.UTC)
    away = made["Holiday"]
    assert away.all_day and (away.start_date, away.end_date) == (
        dt.date(2026, 12, 20),
        dt.date(2026, 12, 23),
    )
    assert desk.links(maya) == {pulled.id: dentist["id"], away.id: holiday["id"]}
    desk.change_event(
        maya,
        dentist["id"],
        summary="Dentist (moved)",
        start={"dateTime": "2026-12-02T11:00:00Z"},
        end={"dateTime": "2026-12-02T12:30:00Z"},
    )
    desk.drop_event(maya, holiday["id"])
    changed = desk.sync(maya)
    assert changed.ok
    assert (changed.counts.pulled_updated, changed.counts.pulled_deleted) == (1, 1)
    moved = desk.appointment(pulled.id)
    assert moved is not None and moved.title == "Dentist (moved)"
    assert (moved.start_at, moved.end_at) == (
        dt.datetime(2026, 12, 2, 11, 0, tzinfo=dt.UTC),
        dt.datetime(2026, 12, 2, 12, 30, tzinfo=dt.UTC),
    )
    assert desk.appointment(away.id) is None
    desk.quiet(maya)


def test_google_times_flow_back_but_the_studio_keeps_its_wording(desk: Desk) -> None:
    maya = _linked(desk, two_way=True)
    booked = desk.book(maya, title="Portrait", type="Portrait", notes="Ours")
    desk.sync(maya)
    event_id = desk.event_id(maya, booked)
    desk.change_event(
        maya,
        event_id,
        summary="Renamed on the phone",
        start={"dateTime": "2026-12-01T14:00:00Z"},
        end={"dateTime": "2026-12-01T15:00:00Z"},
    )
    result = desk.sync(maya)
    assert result.ok and result.counts.pulled_updated == 1
    kept = desk.appointment(booked)
    assert kept is not None and kept.title == "Portrait" and kept.notes == "Ours"
    assert kept.start_at == dt.datetime(2026, 12, 1, 14, 0, tzinfo=dt.UTC)
    event = desk.event(maya, event_id)
    assert event["summary"] == "Portrait" and event["start"]["dateTime"] == "2026-12-01T14:00:00Z"
    [conflict] = desk.conflicts(maya)
    assert conflict.reason == "studio_owns_field" and conflict.winner == "studio"
    assert conflict.fields == "title"
    assert conflict.losing is not None and conflict.losing["summary"] == "Renamed on the phone"
    desk.quiet(maya)


def _invite(desk: Desk, maya: Linked, summary: str, answer: str) -> dict[str, Any]:
    return desk.add_event(
        maya,
        summary,
        attendees=[{"email": maya.email, "responseStatus": answer}, {"email": "host@example.com"}],
    )


def test_tentative_events_are_skipped_and_counted_unless_wanted(desk: Desk) -> None:
    maya = _linked(desk, two_way=True)
    desk.add_event(maya, "Pencilled in", status="tentative")
    unanswered = _invite(desk, maya, "Unanswered invitation", "needsAction")
    _invite(desk, maya, "Maybe", "tentative")
    _invite(desk, maya, "Accepted invitation", "accepted")
    desk.add_event(maya, "Confirmed")
    result = desk.sync(maya)
    assert result.ok
    assert result.counts.pulled == 2 and result.counts.skipped_tentative == 3
    assert len(logged(result, ErrorCode.SYNC_TENTATIVE_SKIPPED)) == 3
    titles = {a.title for a in desk.appointments_of(maya)}
    assert titles == {"Accepted invitation", "Confirmed"}
    attendees = desk.event(maya, unanswered["id"])["attendees"]
    answered = [dict(person, responseStatus="accepted") for person in attendees]
    desk.change_event(maya, unanswered["id"], attendees=answered)  # said yes on the phone
    assert desk.sync(maya).counts.pulled == 1
    desk.options("maya", download_tentative=True)
    desk.add_event(maya, "Pencilled in later", status="tentative")
    _invite(desk, maya, "Another maybe", "tentative")
    wanted = desk.sync(maya)
    assert wanted.ok and wanted.counts.pulled == 2 and wanted.counts.skipped_tentative == 0
    statuses = {a.title: a.status for a in desk.appointments_of(maya)}
    assert statuses["Pencilled in later"] is AppointmentStatus.TENTATIVE
    assert "Unanswered invitation" in statuses


def test_a_series_arrives_as_instances_and_an_exception_changes_only_its_own(desk: Desk) -> None:
    maya = _linked(desk, two_way=True)
    series = desk.add_event(
        maya,
        "Yoga",
        start={"dateTime": "2026-12-07T07:00:00Z", "timeZone": "UTC"},
        end={"dateTime": "2026-12-07T08:00:00Z", "timeZone": "UTC"},
        recurrence=["RRULE:FREQ=DAILY;COUNT=4"],
    )
    assert desk.sync(maya).counts.pulled == 4
    links = desk.links(maya)
    by_event = {event_id: appointment for appointment, event_id in links.items()}
    days = [f"{series['id']}_202612{day:02d}T070000Z" for day in (7, 8, 9, 10)]
    assert sorted(by_event) == days
    versions = {a.id: a.version for a in desk.appointments_of(maya)}
    desk.change_event(
        maya,
        days[1],
        start={"dateTime": "2026-12-08T18:00:00Z"},
        end={"dateTime": "2026-12-08T19:00:00Z"},
    )
    desk.drop_event(maya, days[2])
    result = desk.sync(maya)
    assert result.ok
    assert (result.counts.pulled_updated, result.counts.pulled_deleted) == (1, 1)
    moved = desk.appointment(by_event[days[1]])
    assert moved is not None and moved.start_at == dt.datetime(2026, 12, 8, 18, tzinfo=dt.UTC)
    assert desk.appointment(by_event[days[2]]) is None
    for untouched in (days[0], days[3]):
        appointment = desk.appointment(by_event[untouched])
        assert appointment is not None
        assert appointment.version == versions[appointment.id]
    desk.edit(by_event[days[3]], notes="Bring a mat")  # the studio edits one instance
    pushed = desk.sync(maya)
    assert pushed.ok and pushed.counts.pushed_updated == 1
    instances = {event["id"]: event for event in desk.events(maya)}
    assert sorted(instances) == [days[0], days[1], days[3]]
    assert instances[days[3]].get("description") == "Bring a mat"
    assert not instances[days[0]].get("description")
    desk.quiet(maya)


def test_quiet_runs_do_not_echo_and_cost_one_request_each(desk: Desk) -> None:
    maya = _linked(desk, two_way=True)
    desk.book(maya, title="Portrait")
    desk.add_event(maya, "Dentist")
    first = desk.sync(maya)
    assert (first.counts.pushed, first.counts.pulled) == (1, 1)
    desk.google.clear_stats()
    for _ in range(3):
        desk.quiet(maya)
    stats = desk.google.stats()
    assert stats["total"] == 3, stats
    assert desk.google.count("GET", EVENTS) == 3 and desk.google.count("POST", BATCH) == 0


def test_a_run_with_a_few_changes_does_not_count_every_link(desk: Desk) -> None:
    maya = _linked(desk, two_way=True)
    for n in range(25):
        desk.book(maya, title=f"Session {n}")
    desk.sync(maya)
    desk.book(maya, title="One more")
    statements: list[str] = []

    def seen(*args: Any) -> None:
        statements.append(str(args[2]).lower())

    event.listen(desk.studio.engine, "before_cursor_execute", seen)
    try:
        assert desk.sync(maya).counts.pushed == 1
    finally:
        event.remove(desk.studio.engine, "before_cursor_execute", seen)
    assert statements  # the run did read the studio
    counting = [s for s in statements if "count(" in s and "sync_mappings" in s]
    assert counting == []
