"""The memory provider keeps Google's rules: etags, duplicate ids, stubs, tokens, instances."""

from __future__ import annotations

import datetime as dt

import pytest
from sync_fakes import EPOCH, timed

from studiosync.clock import FakeClock
from studiosync.errors import (
    PreconditionFailedError,
    RateLimitedError,
    RemoteDuplicateError,
    RemoteNotFoundError,
    SyncTokenExpiredError,
)
from studiosync.providers.base import (
    Applied,
    DeleteEvent,
    EventBody,
    EventTime,
    InsertEvent,
    UpdateEvent,
)
from studiosync.providers.memory import MemoryProvider


def body(summary: str = "x") -> EventBody:
    span = timed(10)
    return EventBody(
        summary, "", "", EventTime(date_time=span.start), EventTime(date_time=span.end), "UTC"
    )


def test_insert_update_delete_with_etags() -> None:
    google = MemoryProvider(FakeClock(EPOCH))
    (made,) = google.apply("primary", [InsertEvent("abcde1", body())])
    assert isinstance(made, Applied) and made.event is not None
    (again,) = google.apply("primary", [InsertEvent("abcde1", body())])
    assert isinstance(again, RemoteDuplicateError)
    (stale,) = google.apply("primary", [UpdateEvent("abcde1", body("y"), '"0"')])
    assert isinstance(stale, PreconditionFailedError)
    (changed,) = google.apply("primary", [UpdateEvent("abcde1", body("y"), made.event.etag)])
    assert isinstance(changed, Applied) and changed.event and changed.event.etag != made.event.etag
    (deleted,) = google.apply("primary", [DeleteEvent("abcde1")])
    assert isinstance(deleted, Applied)
    (twice,) = google.apply("primary", [DeleteEvent("abcde1")])
    assert isinstance(twice, RemoteNotFoundError)
    assert google.get_event("primary", "abcde1").cancelled
    (taken,) = google.apply("primary", [InsertEvent("abcde1", body())])
    assert isinstance(taken, RemoteDuplicateError)  # a deleted event still holds its id


def test_incremental_changes_carry_cancelled_stubs_and_tokens_expire() -> None:
    google = MemoryProvider(FakeClock(EPOCH))
    kept = google.google_create(
        summary="kept",
        start=EventTime(date_time=timed(9).start),
        end=EventTime(date_time=timed(9).end),
    )
    gone = google.google_create(
        summary="gone",
        start=EventTime(date_time=timed(9).start),
        end=EventTime(date_time=timed(9).end),
    )
    full = google.changes("primary", None)
    assert {event.id for event in full.events} == {kept.id, gone.id}
    google.google_delete("primary", gone.id)
    since = google.changes("primary", full.next_sync_token)
    (stub,) = since.events
    assert stub.id == gone.id and stub.cancelled and stub.summary == ""
    assert google.changes("primary", since.next_sync_token).events == []
    google.expire_sync_tokens()
    with pytest.raises(SyncTokenExpiredError):
        google.changes("primary", since.next_sync_token)


def test_series_expand_to_instances_that_can_be_changed_one_by_one() -> None:
    google = MemoryProvider(FakeClock(EPOCH))
    span = timed(9)
    series = google.google_create(
        summary="weekly",
        start=EventTime(date_time=span.start),
        end=EventTime(date_time=span.end),
        every=dt.timedelta(days=7),
        count=3,
    )
    first, second, third = google.events()
    assert all(event.recurring_event_id == series.id for event in (first, second, third))
    token = google.changes("primary", None).next_sync_token
    google.google_edit("primary", second.id, summary="moved")
    google.google_delete("primary", third.id)
    changed = {event.id: event for event in google.changes("primary", token).events}
    assert set(changed) == {second.id, third.id}
    assert changed[second.id].summary == "moved" and changed[third.id].cancelled
    assert [event.summary for event in google.events()] == ["weekly", "moved"]


def test_the_optional_request_limit_answers_rate_limits() -> None:
    clock = FakeClock(EPOCH)
    google = MemoryProvider(clock, requests_per_minute=2)
    google.changes("primary", None)
    google.changes("primary", None)
    with pytest.raises(RateLimitedError):
        google.changes("primary", None)
    clock.tick(61)
    google.changes("primary", None)
