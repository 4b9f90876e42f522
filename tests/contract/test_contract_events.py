"""Provider contract: single events written, read, refused and deleted, on every provider."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from contract_helpers import (
    HOUR,
    SOON,
    STUDIO_TAG,
    applied,
    event_id,
    insert,
    listing,
    one,
    timed,
)

from studiosync.errors import (
    ErrorCode,
    PreconditionFailedError,
    RemoteDuplicateError,
    RemoteNotFoundError,
)
from studiosync.providers.base import (
    Applied,
    DeleteEvent,
    EventStatus,
    EventTime,
    InsertEvent,
    UpdateEvent,
)
from studiosync.testing.contract import CALDAV_HARNESSES, CALENDAR_ZONE, ProviderHarness


def test_an_event_made_with_a_chosen_id_reads_back_as_written(harness: ProviderHarness) -> None:
    body = timed("Portrait session")
    made = insert(harness, 1, body)
    read = harness.provider.get_event(harness.calendar_id, event_id(1))
    for event in (made, read):
        assert event.id == event_id(1) and event.status == EventStatus.CONFIRMED
        assert (event.summary, event.description, event.location) == (
            "Portrait session",
            "Portrait session notes",
            "Studio A",
        )
        assert event.start == body.start and event.end == body.end
        assert event.time_zone == "Europe/London"
        assert event.recurring_event_id is None and event.etag
    assert read.etag == made.etag


def test_an_update_with_the_current_etag_replaces_what_the_studio_writes(
    harness: ProviderHarness,
) -> None:
    made = insert(harness, 2, timed("Before"))
    later = timed("After", hours_later=3, location="Studio B")
    changed = applied(one(harness, UpdateEvent(event_id(2), later, made.etag)))
    assert changed.etag and changed.etag != made.etag
    read = harness.provider.get_event(harness.calendar_id, event_id(2))
    assert (read.summary, read.location, read.start, read.end) == (
        "After",
        "Studio B",
        later.start,
        later.end,
    )
    assert read.etag == changed.etag


def test_an_update_or_delete_with_a_stale_etag_is_an_etag_mismatch(
    harness: ProviderHarness,
) -> None:
    made = insert(harness, 3, timed("First"))
    applied(one(harness, UpdateEvent(event_id(3), timed("Second"), made.etag)))
    stale_update = one(harness, UpdateEvent(event_id(3), timed("Late"), made.etag))
    stale_delete = one(harness, DeleteEvent(event_id(3), made.etag))
    for outcome in (stale_update, stale_delete):
        assert isinstance(outcome, PreconditionFailedError)
        assert outcome.code == ErrorCode.PROVIDER_ETAG_MISMATCH
    read = harness.provider.get_event(harness.calendar_id, event_id(3))
    assert read.summary == "Second" and not read.cancelled


def test_the_etag_a_listing_shows_is_the_one_an_update_must_match(
    harness: ProviderHarness,
) -> None:
    insert(harness, 16, timed("Listed"))
    theirs = harness.remote_create(
        "Theirs", EventTime(date_time=SOON), EventTime(date_time=SOON + HOUR), "Europe/London"
    )
    listed = listing(harness)
    for key in (event_id(16), theirs):
        outcome = one(harness, UpdateEvent(key, timed("Rewritten"), listed[key].etag))
        assert applied(outcome).summary == "Rewritten"


def test_an_update_keeps_the_guests_added_on_the_remote_side(harness: ProviderHarness) -> None:
    insert(harness, 17, timed("Fitting"))
    harness.remote_invite(event_id(17), "guest@example.com")
    current = harness.provider.get_event(harness.calendar_id, event_id(17))
    assert [guest.email for guest in current.attendees] == ["guest@example.com"]
    changed = applied(
        one(harness, UpdateEvent(event_id(17), timed("Fitting, later"), current.etag))
    )
    assert [guest.email for guest in changed.attendees] == ["guest@example.com"]
    read = harness.provider.get_event(harness.calendar_id, event_id(17))
    assert read.summary == "Fitting, later"
    assert [guest.email for guest in read.attendees] == ["guest@example.com"]


def test_an_edit_on_the_remote_side_moves_the_etag_on(harness: ProviderHarness) -> None:
    made = insert(harness, 4, timed("Mine"))
    harness.remote_edit(event_id(4), summary="Theirs")
    outcome = one(harness, UpdateEvent(event_id(4), timed("Mine again"), made.etag))
    assert isinstance(outcome, PreconditionFailedError)
    assert harness.provider.get_event(harness.calendar_id, event_id(4)).summary == "Theirs"


@pytest.mark.provider_gap(
    CALDAV_HARNESSES,
    "a CalDAV server forgets a deleted resource, so its name may be used again (Google keeps "
    "a deleted event's id)",
)
def test_a_taken_id_is_a_duplicate_even_after_the_event_is_deleted(
    harness: ProviderHarness,
) -> None:
    insert(harness, 5, timed("Original"))
    again = one(harness, InsertEvent(event_id(5), timed("Copy")))
    assert isinstance(again, RemoteDuplicateError)
    assert again.code == ErrorCode.PROVIDER_DUPLICATE_ID
    assert isinstance(one(harness, DeleteEvent(event_id(5))), Applied)
    after_delete = one(harness, InsertEvent(event_id(5), timed("Copy")))
    assert isinstance(after_delete, RemoteDuplicateError)
    assert harness.provider.get_event(harness.calendar_id, event_id(5)).summary == "Original"


@pytest.mark.provider_gap(
    CALDAV_HARNESSES,
    "a deleted CalDAV resource is gone (not found); Google keeps it as a cancelled event",
)
def test_a_deleted_event_reads_as_cancelled(harness: ProviderHarness) -> None:
    made = insert(harness, 6, timed("Cancelled shoot"))
    deleted = one(harness, DeleteEvent(event_id(6), made.etag))
    assert deleted == Applied(None)
    read = harness.provider.get_event(harness.calendar_id, event_id(6))
    assert read.id == event_id(6) and read.cancelled


def test_deleting_an_event_that_is_gone_is_the_gone_error(harness: ProviderHarness) -> None:
    insert(harness, 7, timed("Twice"))
    first, second = harness.provider.apply(
        harness.calendar_id, [DeleteEvent(event_id(7)), DeleteEvent(event_id(7))]
    )
    never = one(harness, DeleteEvent(event_id(8)))
    assert first == Applied(None)
    for outcome in (second, never):
        assert isinstance(outcome, RemoteNotFoundError)
        assert outcome.code == ErrorCode.PROVIDER_ITEM_NOT_FOUND


def test_reading_an_id_that_never_existed_is_the_not_found_error(
    harness: ProviderHarness,
) -> None:
    try:
        harness.provider.get_event(harness.calendar_id, event_id(9))
    except RemoteNotFoundError as error:
        assert error.code == ErrorCode.PROVIDER_ITEM_NOT_FOUND
    else:
        raise AssertionError("an unknown id was answered")


def test_an_insert_whose_answer_was_lost_is_found_by_its_id(harness: ProviderHarness) -> None:
    """Adoption after a crash: the id is taken (duplicate) and the event names its appointment."""
    body = timed("Written before the crash")
    harness.apply_and_crash([InsertEvent(event_id(10), body)])
    again = one(harness, InsertEvent(event_id(10), body))
    assert isinstance(again, RemoteDuplicateError)
    found = harness.provider.get_event(harness.calendar_id, event_id(10))
    assert found.private == STUDIO_TAG and found.summary == "Written before the crash"
    assert isinstance(one(harness, UpdateEvent(event_id(10), body, found.etag)), Applied)


def test_private_properties_round_trip_and_an_update_sets_the_ones_it_names(
    harness: ProviderHarness,
) -> None:
    made = insert(harness, 11, timed("Tagged"))
    assert made.private == STUDIO_TAG
    listed = listing(harness)
    assert listed[event_id(11)].private == STUDIO_TAG
    newer = timed("Tagged", private={"studiosyncAppointment": "a-2", "studiosyncRun": "7"})
    applied(one(harness, UpdateEvent(event_id(11), newer, made.etag)))
    read = harness.provider.get_event(harness.calendar_id, event_id(11))
    assert read.private == {
        "studiosyncAppointment": "a-2",
        "studiosyncUser": "u-1",  # Google's patch merges maps: a name left out is kept
        "studiosyncRun": "7",
    }


def test_all_day_events_keep_their_exclusive_end_and_the_calendars_zone(
    harness: ProviderHarness,
) -> None:
    first = SOON.date()
    one_day = timed(
        "Wedding day",
        start=EventTime(date=first),
        end=EventTime(date=first + dt.timedelta(days=1)),
        zone="Asia/Tokyo",
    )
    three_days = replace(
        one_day, summary="Workshop", end=EventTime(date=first + dt.timedelta(days=3))
    )
    made = [insert(harness, 12, one_day), insert(harness, 13, three_days)]
    fresh = harness.provider.get_event(harness.calendar_id, event_id(12))
    for event in [*made, fresh]:  # before any listing has named the calendar's zone
        assert event.time_zone == CALENDAR_ZONE
    remote = harness.remote_create(
        "Holiday",
        EventTime(date=first),
        EventTime(date=first + dt.timedelta(days=2)),
        CALENDAR_ZONE,
    )
    listed = listing(harness)
    for key, days in ((event_id(12), 1), (event_id(13), 3), (remote, 2)):
        for event in (listed[key], harness.provider.get_event(harness.calendar_id, key)):
            assert event.start == EventTime(date=first)
            assert event.end == EventTime(date=first + dt.timedelta(days=days))
            assert event.time_zone == CALENDAR_ZONE  # an all-day event names no zone of its own


def test_timed_events_keep_their_instant_and_zone(harness: ProviderHarness) -> None:
    tokyo = dt.datetime(
        SOON.year, SOON.month, SOON.day, 19, 30, tzinfo=dt.timezone(dt.timedelta(hours=9))
    )
    body = timed(
        "Call with Tokyo",
        zone="Asia/Tokyo",
        start=EventTime(date_time=tokyo),
        end=EventTime(date_time=tokyo + HOUR),
    )
    insert(harness, 14, body)
    remote = harness.remote_create(
        "New York fitting",
        EventTime(date_time=SOON.replace(hour=15)),
        EventTime(date_time=SOON.replace(hour=16)),
        "America/New_York",
    )
    listed = listing(harness)
    mine = harness.provider.get_event(harness.calendar_id, event_id(14))
    for event in (mine, listed[event_id(14)]):
        assert event.start == EventTime(date_time=tokyo) and event.time_zone == "Asia/Tokyo"
        assert event.start and event.start.date_time
        assert event.start.date_time.astimezone(dt.UTC).hour == 10
    theirs = listed[remote]
    assert theirs.time_zone == "America/New_York"
    assert theirs.start == EventTime(date_time=SOON.replace(hour=15))


def test_tentative_status_round_trips(harness: ProviderHarness) -> None:
    made = insert(harness, 15, timed("Pencilled in", status=EventStatus.TENTATIVE))
    assert made.status == EventStatus.TENTATIVE
    remote = harness.remote_create(
        "Maybe",
        EventTime(date_time=SOON),
        EventTime(date_time=SOON + HOUR),
        "Europe/London",
        status=EventStatus.TENTATIVE,
    )
    listed = listing(harness)
    assert listed[event_id(15)].status == EventStatus.TENTATIVE
    assert listed[remote].status == EventStatus.TENTATIVE and not listed[remote].cancelled
    confirmed = applied(one(harness, UpdateEvent(event_id(15), timed("Booked"), made.etag)))
    assert confirmed.status == EventStatus.CONFIRMED
    assert harness.provider.get_event(harness.calendar_id, event_id(15)).status == "confirmed"
