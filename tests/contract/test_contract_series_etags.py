"""Provider contract: our own writes to two occurrences of one series never trip each other.

A CalDAV series is one resource with one etag, so writing the first occurrence changes the
etag the second was listed with; the second write must still land (it is not someone else's
change), as it does where each occurrence has an etag of its own (Google).
"""

from __future__ import annotations

import datetime as dt

from contract_helpers import HOUR, SOON, by_id

from studiosync.providers.base import Applied, EventBody, UpdateEvent
from studiosync.testing.contract import ProviderHarness


def test_two_occurrences_written_in_one_batch_both_land(harness: ProviderHarness) -> None:
    series = harness.remote_series("Daily class", SOON, HOUR, 4, "Europe/London")
    listed = by_id(harness.provider.changes(harness.calendar_id, None).events)
    first, second = (listed[series.occurrence_ids[index]] for index in (1, 2))
    writes = []
    for event, title in ((first, "Private lesson"), (second, "Group lesson")):
        assert event.start is not None and event.end is not None
        body = EventBody(title, "", "", event.start, event.end, "Europe/London")
        writes.append(UpdateEvent(event.id, body, event.etag))
    outcomes = harness.provider.apply(harness.calendar_id, writes)
    assert all(isinstance(outcome, Applied) for outcome in outcomes), outcomes
    read = {
        key: harness.provider.get_event(harness.calendar_id, key) for key in (first.id, second.id)
    }
    assert [read[first.id].summary, read[second.id].summary] == ["Private lesson", "Group lesson"]
    untouched = harness.provider.get_event(harness.calendar_id, series.occurrence_ids[3])
    assert untouched.summary == "Daily class" and untouched.start is not None
    assert untouched.start.date_time == SOON + dt.timedelta(days=3)


def test_an_occurrence_changed_by_someone_else_is_still_refused(harness: ProviderHarness) -> None:
    series = harness.remote_series("Daily class", SOON, HOUR, 4, "Europe/London")
    listed = by_id(harness.provider.changes(harness.calendar_id, None).events)
    stale = listed[series.occurrence_ids[1]]
    harness.remote_edit(series.occurrence_ids[1], summary="Moved by the phone")
    assert stale.start is not None and stale.end is not None
    body = EventBody("Private lesson", "", "", stale.start, stale.end, "Europe/London")
    (outcome,) = harness.provider.apply(
        harness.calendar_id, [UpdateEvent(stale.id, body, stale.etag)]
    )
    assert not isinstance(outcome, Applied)
