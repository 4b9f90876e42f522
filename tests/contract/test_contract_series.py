"""Provider contract: a repeating series with a moved and a cancelled occurrence."""

from __future__ import annotations

import datetime as dt

import pytest
from contract_helpers import HOUR, SOON, by_id, one

from studiosync.providers.base import Applied, EventBody, EventTime, RemoteEvent, UpdateEvent
from studiosync.testing.contract import CALDAV_HARNESSES, ProviderHarness, RemoteSeries, SeriesShape

MOVED_BY = dt.timedelta(hours=5)


def make_series(harness: ProviderHarness) -> RemoteSeries:
    series = harness.remote_series("Daily class", SOON, HOUR, 4, "Europe/London")
    assert len(series.occurrence_ids) == 4 if harness.series_shape == SeriesShape.INSTANCES else 1
    return series


def occurrences(events: list[RemoteEvent], series: RemoteSeries) -> dict[str, RemoteEvent]:
    return by_id([event for event in events if event.recurring_event_id == series.id])


def test_a_series_lists_as_the_protocol_says(harness: ProviderHarness) -> None:
    before = harness.provider.changes(harness.calendar_id, None).next_sync_token
    series = make_series(harness)
    harness.remote_move(series, 1, series.starts[1] + MOVED_BY)
    harness.remote_cancel(series, 2)
    full = list(harness.provider.changes(harness.calendar_id, None).events)
    if harness.series_shape == SeriesShape.ONE_RESOURCE:
        (item,) = full
        assert item.id == series.id and any("RRULE" in line for line in item.recurrence)
        return
    assert all(event.recurring_event_id == series.id for event in full)
    live = occurrences(full, series)
    ids = series.occurrence_ids
    assert set(live) == {ids[0], ids[1], ids[3]}
    for index in (0, 1, 3):
        event = live[ids[index]]
        assert event.original_start == EventTime(date_time=series.starts[index])
        assert event.summary == "Daily class" and not event.cancelled and event.etag
        moved = MOVED_BY if index == 1 else dt.timedelta(0)
        assert event.start == EventTime(date_time=series.starts[index] + moved)
        assert event.end == EventTime(date_time=series.starts[index] + moved + HOUR)
    since = occurrences(list(harness.provider.changes(harness.calendar_id, before).events), series)
    assert {key: event for key, event in since.items() if not event.cancelled} == live
    assert {key for key, event in since.items() if event.cancelled} <= {ids[2]}
    assert harness.provider.get_event(harness.calendar_id, ids[2]).cancelled


@pytest.mark.provider_gap(
    CALDAV_HARNESSES,
    "a CalDAV series is one resource: a change to one occurrence lists every occurrence again "
    "(the engine finds the others unchanged)",
)
def test_later_changes_to_single_occurrences_list_alone(harness: ProviderHarness) -> None:
    series = make_series(harness)
    token = harness.provider.changes(harness.calendar_id, None).next_sync_token
    harness.remote_move(series, 3, series.starts[3] + MOVED_BY)
    harness.remote_cancel(series, 0)
    changed = list(harness.provider.changes(harness.calendar_id, token).events)
    if harness.series_shape == SeriesShape.ONE_RESOURCE:
        (item,) = changed
        assert item.id == series.id
        return
    ids = series.occurrence_ids
    found = by_id(changed)
    assert set(found) == {ids[0], ids[3]}
    stub = found[ids[0]]
    assert stub.cancelled
    assert stub.recurring_event_id == series.id
    assert stub.original_start == EventTime(date_time=series.starts[0])
    assert found[ids[3]].start == EventTime(date_time=series.starts[3] + MOVED_BY)
    assert found[ids[3]].original_start == EventTime(date_time=series.starts[3])


@pytest.mark.provider_gap(
    CALDAV_HARNESSES,
    "a CalDAV series is one resource: writing one occurrence lists every occurrence again, "
    "each with the series' new etag",
)
def test_one_occurrence_can_be_written_with_its_etag(harness: ProviderHarness) -> None:
    series = make_series(harness)
    if harness.series_shape == SeriesShape.ONE_RESOURCE:
        return  # the series is written as one item: the event tests cover it
    full = harness.provider.changes(harness.calendar_id, None)
    second = by_id(full.events)[series.occurrence_ids[1]]
    assert second.start is not None and second.end is not None
    body = EventBody(
        "Daily class (private lesson)", "", "", second.start, second.end, "Europe/London"
    )
    outcome = one(harness, UpdateEvent(second.id, body, second.etag))
    assert isinstance(outcome, Applied) and outcome.event
    assert outcome.event.recurring_event_id == series.id
    changed = list(harness.provider.changes(harness.calendar_id, full.next_sync_token).events)
    assert [(event.id, event.summary) for event in changed] == [
        (second.id, "Daily class (private lesson)")
    ]
    others = [key for key in series.occurrence_ids if key != second.id]
    for key in others:
        assert harness.provider.get_event(harness.calendar_id, key).summary == "Daily class"


def test_a_series_read_by_its_own_id_carries_its_repeat_rule(harness: ProviderHarness) -> None:
    series = make_series(harness)
    master = harness.provider.get_event(harness.calendar_id, series.id)
    assert master.id == series.id and not master.cancelled
    rules = [line for line in master.recurrence if line.upper().startswith("RRULE:")]
    assert len(rules) == 1 and "FREQ=DAILY" in rules[0] and "COUNT=4" in rules[0]
    listed = harness.provider.changes(harness.calendar_id, None).events
    if harness.series_shape == SeriesShape.INSTANCES:
        assert all(event.recurrence == () for event in listed)  # only the series holds rules
