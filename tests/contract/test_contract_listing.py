"""Provider contract: full and incremental listings, sync tokens and paging, on every provider."""

from __future__ import annotations

import pytest
from contract_helpers import HOUR, SOON, by_id, event_id, insert, listing, one, timed

from studiosync.errors import ErrorCode, RemoteNotFoundError, SyncTokenExpiredError
from studiosync.providers.base import DeleteEvent, EventTime, InsertEvent, UpdateEvent
from studiosync.testing.contract import CALENDAR_ZONE, ProviderHarness


def remote_event(harness: ProviderHarness, summary: str, hours_later: int = 0) -> str:
    start = SOON + hours_later * HOUR
    return harness.remote_create(
        summary, EventTime(date_time=start), EventTime(date_time=start + HOUR), "Europe/London"
    )


def test_a_full_listing_holds_the_live_events_only_and_a_token(harness: ProviderHarness) -> None:
    kept = insert(harness, 1, timed("Kept"))
    gone = insert(harness, 2, timed("Deleted", hours_later=2))
    theirs = remote_event(harness, "Made on the phone", 4)
    dropped = remote_event(harness, "Dropped on the phone", 6)
    one(harness, DeleteEvent(gone.id, gone.etag))
    harness.remote_delete(dropped)
    full = harness.provider.changes(harness.calendar_id, None)
    assert set(by_id(full.events)) == {kept.id, theirs}
    assert not any(event.cancelled for event in full.events)
    assert full.next_sync_token


def test_an_incremental_listing_holds_what_changed_since_the_token(
    harness: ProviderHarness,
) -> None:
    mine = insert(harness, 3, timed("Mine"))
    theirs = remote_event(harness, "Theirs", 2)
    also = remote_event(harness, "Also theirs", 4)
    token = harness.provider.changes(harness.calendar_id, None).next_sync_token

    harness.remote_edit(theirs, summary="Theirs, renamed")
    changed = harness.provider.changes(harness.calendar_id, token)
    assert [(event.id, event.summary) for event in changed.events] == [(theirs, "Theirs, renamed")]
    assert changed.next_sync_token

    harness.remote_delete(also)
    deleted = harness.provider.changes(harness.calendar_id, changed.next_sync_token)
    (stub,) = deleted.events
    assert stub.id == also and stub.cancelled  # a stub may carry nothing but its id

    written = one(harness, UpdateEvent(mine.id, timed("Mine, moved", hours_later=1), mine.etag))
    assert not isinstance(written, Exception)
    own = harness.provider.changes(harness.calendar_id, deleted.next_sync_token)
    assert [(event.id, event.summary) for event in own.events] == [(mine.id, "Mine, moved")]

    quiet = harness.provider.changes(harness.calendar_id, own.next_sync_token)
    assert list(quiet.events) == [] and quiet.next_sync_token
    again = harness.provider.changes(harness.calendar_id, quiet.next_sync_token)
    assert list(again.events) == []


def test_an_event_made_and_deleted_between_two_listings_is_at_most_a_stub(
    harness: ProviderHarness,
) -> None:
    token = harness.provider.changes(harness.calendar_id, None).next_sync_token
    brief = remote_event(harness, "Brief")
    harness.remote_delete(brief)
    events = harness.provider.changes(harness.calendar_id, token).events
    assert all(event.id == brief and event.cancelled for event in events)


@pytest.mark.parametrize("how", ["expired", "never issued"])
def test_an_unusable_token_asks_for_a_full_listing_which_then_works(
    harness: ProviderHarness, how: str
) -> None:
    insert(harness, 4, timed("One"))
    remote_event(harness, "Two", 2)
    token = harness.provider.changes(harness.calendar_id, None).next_sync_token
    if how == "expired":
        harness.expire_sync_tokens()
    else:
        token = "bm90IGEgdG9rZW4gd2UgZ2F2ZQ"
    with pytest.raises(SyncTokenExpiredError) as refused:
        harness.provider.changes(harness.calendar_id, token)
    assert refused.value.code == ErrorCode.PROVIDER_SYNC_TOKEN_EXPIRED
    full = harness.provider.changes(harness.calendar_id, None)
    assert sorted(event.summary for event in full.events) == ["One", "Two"]
    assert list(harness.provider.changes(harness.calendar_id, full.next_sync_token).events) == []


def test_listings_longer_than_a_page_are_followed_to_the_end(harness: ProviderHarness) -> None:
    paged = harness.use_page_size(3)
    made = harness.provider.apply(
        harness.calendar_id,
        [InsertEvent(event_id(10 + n), timed(f"Session {n}", hours_later=n)) for n in range(8)],
    )
    assert not any(isinstance(outcome, Exception) for outcome in made)
    before = harness.listing_pages()
    full = harness.provider.changes(harness.calendar_id, None)
    assert set(by_id(full.events)) == {event_id(10 + n) for n in range(8)}
    middle = harness.listing_pages()
    for n in range(5):
        harness.remote_edit(event_id(10 + n), summary=f"Session {n}, moved")
    later = harness.provider.changes(harness.calendar_id, full.next_sync_token)
    assert {event.id: event.summary for event in later.events} == {
        event_id(10 + n): f"Session {n}, moved" for n in range(5)
    }
    if paged:
        assert middle - before >= 3 and harness.listing_pages() - middle >= 2
    assert list(harness.provider.changes(harness.calendar_id, later.next_sync_token).events) == []
    assert len(listing(harness)) == 8


def test_the_calendar_under_test_is_listed_writable_with_its_zone(
    harness: ProviderHarness,
) -> None:
    calendars = {info.id: info for info in harness.provider.list_calendars()}
    mine = calendars[harness.calendar_id]
    assert mine.writable and mine.time_zone == CALENDAR_ZONE


def test_a_calendar_that_is_not_there_is_the_not_found_error(harness: ProviderHarness) -> None:
    with pytest.raises(RemoteNotFoundError) as refused:
        harness.provider.changes("nobody-here@contract.example", None)
    assert refused.value.code in (ErrorCode.PROVIDER_ITEM_NOT_FOUND, ErrorCode.DAV_CALENDAR_GONE)
