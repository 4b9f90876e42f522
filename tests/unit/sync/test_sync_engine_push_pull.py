"""One user's sync end to end on the memory provider: push, pull, echoes, recurrence."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sync_fakes import all_day, timed
from sync_world import World

from studiosync.errors import ErrorCode
from studiosync.providers.base import Attendee, EventTime, RemoteEvent
from studiosync.providers.memory import MemoryProvider
from studiosync.sync.records import ClientInfo, ConflictReason, Side


def google_event(google: MemoryProvider, hour: int, day: int = 4, **fields: Any) -> RemoteEvent:
    span = timed(hour, day=day)
    values: dict[str, Any] = {
        "summary": f"Google {hour}",
        "start": EventTime(date_time=span.start),
        "end": EventTime(date_time=span.end),
        "time_zone": "Europe/London",
    }
    values.update(fields)
    return google.google_create("primary", **values)


def started(world: World, user_id: int = 1, **options: Any) -> World:
    """The first run: establishes the cursor and the sync token."""
    world.sync(user_id, **options)
    return world


def test_a_new_appointment_is_pushed_with_the_studio_wording() -> None:
    world = started(World())
    client = ClientInfo("Jane Doe", phone="555-0101", email="jane@example.com")
    booked = world.studio.book(
        [1], title="Rivera family", type="Portrait", client=client, notes="Bring the dog",
        resources=("Studio A",), location="12 High St",
    )  # fmt: skip
    result = world.sync()
    assert result.counts.pushed == 1 and result.ok
    (event,) = world.account(1).events()
    assert event.id == f"ss{'5a17'}g1h{booked.id:x}"
    assert event.summary == "Rivera family"  # the title, unless the studio's template says more
    assert event.description == "Bring the dog\n\nPhone: 555-0101\nEmail: jane@example.com"
    assert event.location == "Studio A, 12 High St"
    assert event.private["studiosyncAppointment"] == str(booked.id)
    assert event.start is not None and event.start.date_time == booked.span.start


def test_edit_cancel_and_delete_reach_google_and_a_rerun_does_nothing() -> None:
    world = started(World())
    first = world.studio.book([1], title="One")
    second = world.studio.book([1], title="Two", span=all_day(5, days=2))
    third = world.studio.book([1], title="Three")
    world.sync()
    (day_event,) = [e for e in world.account(1).events() if e.summary == "Two"]
    assert day_event.start == EventTime(date=dt.date(2024, 3, 5))
    assert day_event.end == EventTime(date=dt.date(2024, 3, 7))
    world.studio.edit(first.id, title="One, moved", span=timed(15))
    world.studio.cancel(second.id)
    world.studio.remove(third.id)
    result = world.sync()
    assert (result.counts.pushed_updated, result.counts.pushed_deleted) == (1, 2)
    assert [e.summary for e in world.account(1).events()] == ["One, moved"]
    again = world.sync()
    assert again.plan is not None and list(again.plan.actions) == []
    assert again.counts == type(again.counts)()


def test_reassigning_moves_the_event_to_the_other_users_calendar() -> None:
    world = started(started(World(), 1), 2)
    booked = world.studio.book([1])
    world.sync(1)
    world.sync(2)
    assert len(world.account(1).events()) == 1 and world.account(2).events() == []
    world.studio.assign(booked.id, [2])
    world.sync(1)
    world.sync(2)
    assert world.account(1).events() == []
    (moved,) = world.account(2).events()
    assert moved.private["studiosyncUser"] == "2"


def test_a_shared_appointment_goes_to_each_users_calendar() -> None:
    world = started(started(World(), 1), 2)
    world.studio.book([1, 2], title="Wedding")
    world.sync(1)
    world.sync(2)
    assert [e.summary for e in world.account(1).events()] == ["Wedding"]
    assert [e.summary for e in world.account(2).events()] == ["Wedding"]


def test_google_changes_come_back_only_with_two_way_sync() -> None:
    world = started(World(), two_way=False)
    google_event(world.account(1), 9)
    assert world.sync(two_way=False).counts.pulled == 0
    assert world.studio.of_user(1) == []


def test_new_changed_and_deleted_google_events_reach_the_studio() -> None:
    world = started(World())
    google = world.account(1)
    event = google_event(google, 9, description="Call first", location="Park")
    result = world.sync()
    assert result.counts.pulled == 1
    (made,) = world.studio.of_user(1)
    assert (made.title, made.notes, made.location, made.type) == (
        "Google 9",
        "Call first",
        "Park",
        "Google",
    )
    assert made.origin is Side.GOOGLE
    span = timed(11)
    google.google_edit(
        "primary",
        event.id,
        summary="Renamed",
        start=EventTime(date_time=span.start),
        end=EventTime(date_time=span.end),
    )
    assert world.sync().counts.pulled_updated == 1
    (changed,) = world.studio.of_user(1)
    assert changed.title == "Renamed" and changed.span.start == span.start
    assert world.sync().counts == type(result.counts)()  # our own write is not echoed back
    google.google_delete("primary", event.id)
    assert world.sync().counts.pulled_deleted == 1
    assert world.studio.of_user(1) == []


def test_google_edits_of_a_field_the_studio_owns_are_kept_in_the_log_and_undone() -> None:
    world = started(World())
    template = "{type} – {client}"
    booked = world.studio.book([1], type="Portrait", client=ClientInfo("Jane Doe"))
    world.sync(summary_template=template)
    google = world.account(1)
    (event,) = google.events()
    span = timed(14)
    google.google_edit(
        "primary",
        event.id,
        summary="Jane (outdoor)",
        start=EventTime(date_time=span.start),
        end=EventTime(date_time=span.end),
    )
    result = world.sync(summary_template=template)
    (now,) = google.events()
    assert now.summary == "Portrait – Jane Doe"
    assert now.start is not None and now.start.date_time == span.start
    assert world.studio.rows[booked.id].appointment.span.start == span.start
    (record,) = world.state.conflicts(1)
    assert record.losing_content is not None and record.losing_content.summary == "Jane (outdoor)"
    assert (record.reason, record.fields) == (ConflictReason.STUDIO_OWNS_FIELD, ("title",))
    assert result.counts.conflicts == 1
    assert world.sync(summary_template=template).counts.conflicts == 0


def test_tentative_events_are_skipped_and_counted_unless_wanted() -> None:
    world = started(World())
    google = world.account(1)
    google_event(google, 9, status="tentative")
    google_event(google, 10, attendees=(Attendee("me@example.com", "needsAction", is_self=True),))
    google_event(google, 11, attendees=(Attendee("me@example.com", "accepted", is_self=True),))
    result = world.sync()
    assert result.counts.skipped_tentative == 2 and result.counts.pulled == 1
    codes = [entry.code for entry in result.log]
    assert codes.count(ErrorCode.SYNC_TENTATIVE_SKIPPED) == 2
    world.sync()
    other = started(World(), download_tentative=True)
    google_event(other.account(1), 9, status="tentative")
    assert other.sync(download_tentative=True).counts.pulled == 1
    assert other.studio.of_user(1)[0].status == "tentative"


def test_recurring_series_become_one_appointment_per_instance() -> None:
    world = started(World())
    google = world.account(1)
    series = google_event(google, 8, every=dt.timedelta(days=7), count=4)
    assert world.sync().counts.pulled == 4
    instances = google.events()
    moved = timed(16, day=11)
    google.google_edit(
        "primary",
        instances[1].id,
        start=EventTime(date_time=moved.start),
        end=EventTime(date_time=moved.end),
    )
    google.google_delete("primary", instances[2].id)
    result = world.sync()
    assert (result.counts.pulled_updated, result.counts.pulled_deleted) == (1, 1)
    starts = sorted(item.span.start for item in world.studio.of_user(1))
    assert moved.start in starts and len(starts) == 3
    google.google_delete("primary", series.id)
    assert world.sync().counts.pulled_deleted == 3
    assert world.studio.of_user(1) == []


def test_a_studio_edit_of_an_instance_changes_only_that_instance() -> None:
    world = started(World())
    google = world.account(1)
    google_event(google, 8, every=dt.timedelta(days=1), count=3)
    world.sync()
    target = sorted(world.studio.of_user(1), key=lambda item: item.span.start)[1]
    world.studio.edit(target.id, title="Only this one")
    assert world.sync().counts.pushed_updated == 1
    titles = [event.summary for event in google.events()]
    assert titles == ["Google 8", "Only this one", "Google 8"]


def test_bad_google_events_are_skipped_by_name_and_the_run_goes_on() -> None:
    world = started(World())
    google = world.account(1)
    no_start = google.google_create("primary", summary="No start")
    odd_type = google_event(google, 9, event_type="somethingNew")
    bad_zone = google_event(google, 10, time_zone="Mars/Olympus")
    huge = google_event(google, 11, description="x" * 70_000)
    focus = google_event(google, 12, event_type="focusTime")
    google_event(google, 13)
    result = world.sync()
    assert result.counts.pulled == 1
    skipped = {entry.event_id: entry for entry in result.log}
    for event in (no_start, odd_type, bad_zone, huge):
        assert skipped[event.id].code is ErrorCode.SYNC_BAD_EVENT_SKIPPED
    assert skipped[focus.id].code is ErrorCode.SYNC_NOT_AN_APPOINTMENT


def test_a_dry_run_plans_without_doing_anything() -> None:
    world = started(World())
    world.studio.book([1])
    google_event(world.account(1), 9)
    result = world.sync(dry_run=True)
    assert result.dry_run and result.plan is not None
    kinds = sorted(type(action).__name__ for action in result.plan.actions)
    assert kinds == ["PullCreate", "PushInsert"]
    assert len(world.account(1).events()) == 1 and len(world.studio.of_user(1)) == 1
    assert world.sync().counts.pushed == 1
