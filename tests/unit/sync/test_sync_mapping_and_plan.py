"""Pure parts of the engine: ids, translation, content checks, planning rules and pacing."""

from __future__ import annotations

import datetime as dt
import random
import re

import pytest
from sync_fakes import EPOCH, all_day, timed

from studiosync.clock import FakeClock
from studiosync.errors import BadRemoteDataError, ErrorCode
from studiosync.providers.base import Attendee, EventTime, RemoteEvent
from studiosync.sync import mapping as m
from studiosync.sync.actions import Link, PullDelete, PullUpdate, PushDelete, PushUpdate, Skip
from studiosync.sync.fields import FieldRules, Owner
from studiosync.sync.options import BulkDeleteGuard
from studiosync.sync.pacing import Backoff, TokenBucket
from studiosync.sync.plan import Pair, Rules, decide, plan_sync
from studiosync.sync.records import ClientInfo, MappingEntry, StudioAppointment

RULES = Rules(1, "5a17", two_way=True, download_tentative=False)


def appointment(**fields: object) -> StudioAppointment:
    values: dict[str, object] = {"id": 3, "version": 1, "title": "Meeting", "type": "Portrait"}
    values["span"] = timed(10)
    values.update(fields)
    return StudioAppointment(**values)  # type: ignore[arg-type]


def event_of(item: StudioAppointment, etag: str = '"1"', **changes: object) -> RemoteEvent:
    body = m.body_for(m.project(item), m.private_properties("5a17", 1, item.id))
    values: dict[str, object] = {
        "id": m.event_id_for("5a17", 1, item.id),
        "etag": etag,
        "summary": body.summary,
        "description": body.description,
        "location": body.location,
        "start": body.start,
        "end": body.end,
        "time_zone": body.time_zone,
        "private": body.private,
    }
    values.update(changes)
    return RemoteEvent(**values)  # type: ignore[arg-type]


def linked(item: StudioAppointment) -> MappingEntry:
    event = event_of(item)
    return MappingEntry.agreed(
        item.id, event.id, event.etag, item.version, m.project(item), item.origin
    )


def test_event_ids_are_base32hex_unique_and_long_enough() -> None:
    seen = {m.event_id_for("5a17", user, item) for user in range(1, 40) for item in range(1, 400)}
    assert len(seen) == 39 * 399
    assert all(re.fullmatch(r"[a-v0-9]{5,1024}", event_id) for event_id in seen)
    assert m.next_event_id("ss1g1h1") == "ss1g1h1i1" and m.next_event_id("ss1g1h1i9") == "ss1g1h1ia"


def test_private_properties_name_the_appointment_for_this_studio_and_user_only() -> None:
    item = appointment()
    event = event_of(item)
    assert m.claimed_appointment(event, "5a17", 1) == 3
    assert m.claimed_appointment(event, "beef", 1) is None
    assert m.claimed_appointment(event, "5a17", 2) is None


def test_projection_wording_and_all_day() -> None:
    item = appointment(
        client=ClientInfo("Jane Doe", email="j@x.org"), notes="", location="", span=all_day(4)
    )
    content = m.project(item)
    assert (content.summary, content.description) == (item.title, "Email: j@x.org")
    worded = m.project(item, "{type} – {client} ({room})")
    assert worded.summary == "Portrait – Jane Doe"
    body = m.body_for(content, {})
    assert body.start == EventTime(date=dt.date(2024, 3, 4)) and body.end == EventTime(
        date=dt.date(2024, 3, 5)
    )
    assert m.project(appointment(status="tentative")).status == "tentative"


def test_the_same_instant_in_another_zone_is_the_same_content() -> None:
    item = appointment()
    paris = item.span.start.astimezone(dt.timezone(dt.timedelta(hours=1)))
    moved = event_of(item, start=EventTime(date_time=paris))
    assert m.read_event(moved).fingerprint() == m.project(item).fingerprint()


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"start": None}, "no start"),
        ({"event_type": "newKind"}, "unknown event type"),
        ({"time_zone": "Nowhere/Else"}, "unknown time zone"),
        ({"summary": "x" * 301}, "summary longer"),
        ({"unreadable": "start.dateTime"}, "unreadable"),
        ({"end": EventTime(date_time=timed(9).start)}, "ends before"),
        ({"end": EventTime(date=dt.date(2024, 3, 5))}, "mix"),
    ],
)
def test_unreadable_events_are_named(changes: dict[str, object], reason: str) -> None:
    with pytest.raises(BadRemoteDataError) as caught:
        m.read_event(event_of(appointment(), **changes))
    assert caught.value.code is ErrorCode.SYNC_BAD_EVENT_SKIPPED
    assert reason in str(caught.value.params["reason"])


def test_tentative_means_the_status_or_an_unanswered_invitation() -> None:
    me = {"email": "me@x.org", "is_self": True}
    assert m.awaits_answer(RemoteEvent("e1", status="tentative"))
    assert m.awaits_answer(
        RemoteEvent("e1", attendees=(Attendee(**me, response_status="needsAction"),))
    )
    assert not m.awaits_answer(
        RemoteEvent("e1", attendees=(Attendee(**me, response_status="accepted"),))
    )
    assert not m.awaits_answer(RemoteEvent("e1", attendees=(Attendee("x@y.z", "needsAction"),)))


def test_studio_change_pushes_with_the_known_etag() -> None:
    before = appointment()
    after = appointment(version=2, title="Moved")
    (action,) = decide(Pair(3, after, linked(before)), RULES)
    assert isinstance(action, PushUpdate) and action.etag == '"1"'


def test_an_echo_of_our_own_write_does_nothing() -> None:
    item = appointment()
    assert decide(Pair(3, item, linked(item), event_of(item), True), RULES) == []


def test_a_new_etag_without_new_content_is_only_remembered() -> None:
    item = appointment()
    (action,) = decide(Pair(3, item, linked(item), event_of(item, etag='"9"'), True), RULES)
    assert isinstance(action, Link) and action.entry.etag == '"9"'


def test_google_changes_are_pulled_only_two_way() -> None:
    item = appointment(origin=m.Side.GOOGLE)
    moved = event_of(
        item,
        etag='"2"',
        start=EventTime(date_time=timed(12).start),
        end=EventTime(date_time=timed(12).end),
    )
    (action,) = decide(Pair(3, item, linked(item), moved, True), RULES)
    assert isinstance(action, PullUpdate)
    one_way = Rules(
        1,
        "5a17",
        two_way=False,
        download_tentative=False,
        fields=FieldRules.everywhere(Owner.GOOGLE),
    )
    assert decide(Pair(3, item, linked(item), moved, True), one_way) == []
    (gone,) = decide(Pair(3, item, linked(item), None, True), RULES)
    assert isinstance(gone, PullDelete)


def test_a_cancelled_appointment_deletes_its_event() -> None:
    item = appointment()
    (action,) = decide(Pair(3, appointment(version=2, status="cancelled"), linked(item)), RULES)
    assert isinstance(action, PushDelete)


def test_a_tentative_new_event_is_skipped_and_counted() -> None:
    stranger = RemoteEvent(
        "gc1",
        summary="?",
        status="tentative",
        start=EventTime(date_time=timed(9).start),
        end=EventTime(date_time=timed(9).end),
    )
    (action,) = decide(Pair(None, None, None, stranger, True), RULES)
    assert isinstance(action, Skip) and action.tentative


def test_bulk_delete_guard_counts_each_side() -> None:
    guard = BulkDeleteGuard()
    assert not guard.trips(19, 20) and guard.trips(20, 39) and not guard.trips(20, 40)
    items = [appointment(id=n) for n in range(1, 31)]
    pairs = [Pair(item.id, None, linked(item)) for item in items[:21]]
    stopped = plan_sync(pairs, RULES, mapped=30, guard=guard, deletes_confirmed=False)
    assert stopped.stop is not None and stopped.stop.deletes == 21
    assert plan_sync(pairs, RULES, mapped=30, guard=guard, deletes_confirmed=True).stop is None


def test_token_bucket_spends_and_waits_on_the_clock() -> None:
    clock = FakeClock(EPOCH)
    bucket = TokenBucket(refill_per_minute=60, capacity=10, clock=clock)
    bucket.acquire(10)
    assert clock.slept == 0
    bucket.acquire(5)
    assert clock.slept == pytest.approx(5.0)
    bucket.acquire(25)  # more than the bucket holds: spent in chunks
    assert clock.slept == pytest.approx(30.0)


def test_backoff_grows_with_jitter_and_honours_retry_after() -> None:
    backoff = Backoff(1.0, 8.0, random.Random(1))
    delays = [backoff.delay(attempt) for attempt in range(1, 7)]
    assert all(
        0.5 * min(8, 2 ** (n - 1)) <= d <= min(8, 2 ** (n - 1)) for n, d in enumerate(delays, 1)
    )
    assert backoff.delay(1, retry_after=30) == 30
