"""What the studio sends to Google, over the real stack: fields, times, status, several users."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from google_world import PASSWORD, START, Desk, Linked

from studiosync.accounts.calendars import select_calendar
from studiosync.accounts.sandbox_signin import link_on_sandbox
from studiosync.errors import ErrorCode, InputError
from studiosync.studio import people
from studiosync.studio.appointments import Assign
from studiosync.studio.models import AppointmentStatus, ResourceKind

pytestmark = pytest.mark.shared_sandbox  # one sandbox Google per module

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def maya(desk: Desk) -> Linked:
    user = desk.link("maya")
    desk.sync(user)  # the first run starts at the feed's head
    return user


def test_a_new_appointment_carries_type_client_place_notes_and_time_zone(
    desk: Desk, maya: Linked
) -> None:
    desk.client("Jane Doe", email="jane@example.com", phone="+1 555 0100")
    with desk.studio.transaction() as session:
        people.create_resource(session, kind=ResourceKind.ROOM, name="Studio A")
        people.create_resource(session, kind=ResourceKind.EQUIPMENT, name="Backdrop")
    booked = desk.book(
        maya,
        title="Family shoot",
        type="Wedding",
        client="Jane Doe",
        resources=["Studio A", "Backdrop"],
        location="12 High Street",
        notes="Bring the dog",
        start=dt.datetime(2026, 12, 1, 10, 30, tzinfo=PARIS),
        end=dt.datetime(2026, 12, 1, 12, 0, tzinfo=PARIS),
        time_zone="Europe/Paris",
    )
    result = desk.sync(maya)
    assert result.ok and result.counts.pushed == 1
    [event] = desk.events(maya)
    assert event["id"] == desk.event_id(maya, booked)
    assert event["summary"] == "Family shoot"
    assert event["location"] == "Studio A, Backdrop, 12 High Street"
    assert event["description"] == ("Bring the dog\n\nPhone: +1 555 0100\nEmail: jane@example.com")
    assert event["start"] == {"dateTime": "2026-12-01T10:30:00+01:00", "timeZone": "Europe/Paris"}
    assert event["end"] == {"dateTime": "2026-12-01T12:00:00+01:00", "timeZone": "Europe/Paris"}
    assert event["status"] == "confirmed"
    assert event["extendedProperties"]["private"]["studiosyncAppointment"] == str(booked)
    assert desk.links(maya) == {booked: event["id"]}


def test_without_a_client_the_title_is_the_summary_and_all_day_ends_are_exclusive(
    desk: Desk, maya: Linked
) -> None:
    desk.book(
        maya,
        title="Studio closed",
        all_day=True,
        start=dt.date(2026, 12, 24),
        end=dt.date(2026, 12, 26),  # the 24th and the 25th
    )
    desk.book(maya, title="Maybe a portrait", status=AppointmentStatus.TENTATIVE)
    assert desk.sync(maya).counts.pushed == 2
    by_summary = {event["summary"]: event for event in desk.events(maya)}
    closed = by_summary["Studio closed"]
    assert closed["start"] == {"date": "2026-12-24"} and closed["end"] == {"date": "2026-12-26"}
    assert "description" not in closed or closed["description"] == ""
    assert by_summary["Maybe a portrait"]["status"] == "tentative"


def test_a_modified_appointment_rewrites_its_event_in_place(desk: Desk, maya: Linked) -> None:
    booked = desk.book(maya, title="Portrait")
    desk.sync(maya)
    [before] = desk.events(maya)
    desk.edit(
        booked,
        title="Portrait, moved",
        start=START + dt.timedelta(hours=3),
        end=START + dt.timedelta(hours=5),
        location="The park",
        notes="Outdoors",
        status=AppointmentStatus.TENTATIVE,
    )
    result = desk.sync(maya)
    assert result.ok and result.counts.pushed_updated == 1 and result.counts.pushed == 0
    [after] = desk.events(maya)
    assert after["id"] == before["id"] and after["etag"] != before["etag"]
    assert after["summary"] == "Portrait, moved"
    assert after["start"]["dateTime"] == "2026-12-01T13:00:00Z"
    assert after["end"]["dateTime"] == "2026-12-01T15:00:00Z"
    assert (after["location"], after["description"]) == ("The park", "Outdoors")
    assert after["status"] == "tentative"
    desk.quiet(maya)
    assert desk.event(maya, after["id"])["etag"] == after["etag"]  # nothing echoed back


def test_a_deleted_or_cancelled_appointment_deletes_its_event(desk: Desk, maya: Linked) -> None:
    deleted = desk.book(maya, title="Deleted")
    cancelled = desk.book(maya, title="Cancelled")
    kept = desk.book(maya, title="Kept")
    desk.sync(maya)
    desk.remove(deleted)
    desk.edit(cancelled, status=AppointmentStatus.CANCELLED)
    result = desk.sync(maya)
    assert result.ok and result.counts.pushed_deleted == 2
    assert [event["summary"] for event in desk.events(maya)] == ["Kept"]
    for gone in (deleted, cancelled):
        assert desk.event(maya, desk.event_id(maya, gone))["status"] == "cancelled"
    assert set(desk.links(maya)) == {kept}


def test_each_assigned_user_gets_the_appointment_in_their_own_calendar(
    desk: Desk, maya: Linked
) -> None:
    theo = desk.link("theo")
    desk.sync(theo)
    shared = desk.book(maya, theo, title="Wedding", type="Wedding")
    assert desk.sync(maya).counts.pushed == 1
    assert desk.sync(theo).counts.pushed == 1
    [in_maya] = desk.events(maya)
    [in_theo] = desk.events(theo)
    assert in_maya["id"] == desk.event_id(maya, shared) != in_theo["id"]
    assert in_theo["id"] == desk.event_id(theo, shared)
    assert in_maya["summary"] == in_theo["summary"] == "Wedding"


def test_unassigning_a_user_removes_the_appointment_from_their_calendar_only(
    desk: Desk, maya: Linked
) -> None:
    theo = desk.link("theo")
    desk.sync(theo)
    shared = desk.book(maya, theo, title="Wedding")
    desk.sync(maya)
    desk.sync(theo)
    [in_maya] = desk.events(maya)
    desk.edit(shared, users=[Assign("maya")])
    removed = desk.sync(theo)
    assert removed.ok and removed.counts.pushed_deleted == 1
    assert desk.events(theo) == []
    assert desk.links(theo) == {}
    desk.quiet(maya)  # maya's copy is not touched
    [still] = desk.events(maya)
    assert still["etag"] == in_maya["etag"]
    desk.edit(shared, users=[Assign("maya"), Assign("theo")])
    back = desk.sync(theo)  # assigned again: its deleted event (the id stays taken) comes back
    assert back.ok and back.counts.pushed_updated == 1
    [again] = desk.events(theo)
    assert again["id"] == desk.event_id(theo, shared) and again["summary"] == "Wedding"


def test_choosing_another_calendar_starts_afresh_and_deletes_nothing(desk: Desk) -> None:
    maya = desk.link("maya", two_way=True)
    desk.sync(maya)
    booked = [desk.book(maya, title=f"Session {n}") for n in range(3)]
    desk.add_event(maya, "Dentist")
    desk.sync(maya)
    mine = desk.appointments_of(maya)
    work = desk.google.add_calendar(maya.email, "Work")
    select_calendar(desk.studio, desk.endpoints, "maya", "Work")
    assert desk.links(maya) == {}  # the old calendar's links mean nothing in the new one
    moved = desk.sync(maya)
    assert moved.ok and moved.counts.deleted == 0
    assert [a.id for a in desk.appointments_of(maya)] == [a.id for a in mine]
    desk.options("maya", populate_google=True)
    populated = desk.sync(maya)
    assert populated.ok and populated.counts.pushed == len(mine)
    in_work = desk.phone(maya).list(calendarId=work["id"]).execute()["items"]
    assert sorted(e["summary"] for e in in_work) == sorted(a.title for a in mine)
    assert len(desk.events(maya)) == 4  # the primary calendar is left as it was
    assert set(desk.links(maya)) == {a.id for a in mine} >= set(booked)


def test_an_event_the_studio_wrote_can_always_be_read_back(desk: Desk) -> None:
    maya = desk.link("maya", two_way=True)
    desk.sync(maya)
    with desk.studio.transaction() as session:
        people.create_resource(session, kind=ResourceKind.ROOM, name="Studio A")
    booked = desk.book(maya, title="Portrait", location="x" * 500, resources=["Studio A"])
    assert desk.sync(maya).counts.pushed == 1
    desk.change_event(
        maya,
        desk.event_id(maya, booked),
        start={"dateTime": "2026-12-01T15:00:00Z"},
        end={"dateTime": "2026-12-01T16:00:00Z"},
    )
    moved = desk.sync(maya)
    assert moved.counts.skipped == 0 and moved.counts.pulled_updated == 1
    appointment = desk.appointment(booked)
    assert appointment is not None and appointment.start_at == START.replace(hour=15)


def test_signing_in_with_another_google_account_asks_for_a_calendar_again(desk: Desk) -> None:
    maya = desk.link("maya")
    desk.sync(maya)
    booked = desk.book(maya, title="Portrait")
    desk.sync(maya)
    work = "maya.work@sandbox.example"
    desk.google.create_account(work, PASSWORD)
    link_on_sandbox(desk.studio, desk.endpoints, "maya", work, PASSWORD)
    assert desk.links(maya) == {}  # they named the other account's calendar
    with pytest.raises(InputError) as caught:
        desk.sync(maya)
    assert caught.value.code is ErrorCode.GOOGLE_CALENDAR_NOT_SELECTED
    select_calendar(desk.studio, desk.endpoints, "maya", work)
    desk.options("maya", populate_google=True)
    result = desk.sync(maya)
    assert result.ok and result.counts.pushed == 1
    moved = Linked(maya.login, maya.user_id, work)
    assert [e["id"] for e in desk.events(moved)] == [desk.event_id(maya, booked)]
    assert len(desk.events(maya)) == 1  # the first account's calendar is left as it was
