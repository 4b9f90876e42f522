"""Faults and pacing: rate limits, quota, transient failures, batching, populate and contacts."""

from __future__ import annotations

import contextlib
import datetime as dt

import pytest
from sync_fakes import timed
from sync_world import World
from test_sync_engine_push_pull import google_event, started

from studiosync.errors import (
    ErrorCode,
    InputError,
    ProviderError,
    QuotaExceededError,
    RateLimitedError,
    TransientError,
)
from studiosync.providers.base import MAX_BATCH
from studiosync.providers.memory import Call
from studiosync.sync.options import Pacing


def test_pushes_are_paced_under_the_quota_instead_of_hitting_rate_limits() -> None:
    world = World()
    world.account(1, requests_per_minute=600)
    started(world)
    for n in range(1500):
        world.studio.book([1], title=f"#{n}")
    sizes: list[int] = []
    original = world.account(1).apply

    def recording_apply(calendar_id: str, operations):  # type: ignore[no-untyped-def]
        sizes.append(len(operations))
        return original(calendar_id, operations)

    world.account(1).apply = recording_apply  # type: ignore[method-assign]
    result = world.sync()
    assert result.ok and result.counts.pushed == 1500
    assert max(sizes) <= 100 and sum(sizes) == 1500  # every call went out exactly once
    assert [e.code for e in result.log] == []  # not a single rate-limit error was met
    assert world.clock.slept >= 160  # a burst of 100, then 500 a minute


def test_rate_limits_and_transient_failures_are_retried_with_backoff() -> None:
    world = started(World())
    for n in range(5):
        world.studio.book([1], title=f"#{n}")
    failures: dict[str, int] = {}

    def flaky(call: Call) -> ProviderError | None:
        """Each insert meets a rate limit, then a 503, then goes through."""
        if call.method == "insert" and call.phase == "before":
            seen = failures[call.event_id or ""] = failures.get(call.event_id or "", 0) + 1
            if seen == 1:
                return RateLimitedError(ErrorCode.PROVIDER_RATE_LIMITED, retry_after=3)
            if seen == 2:
                return TransientError(ErrorCode.PROVIDER_UNAVAILABLE, reason="503")
        return None

    world.fault(1, flaky)
    result = world.sync()
    assert result.ok and result.counts.pushed == 5
    assert len(world.account(1).events()) == 5
    assert world.clock.slept >= 3


def test_a_lasting_outage_is_left_for_the_next_run_and_nothing_is_recorded_as_done() -> None:
    world = started(World())
    booked = world.studio.book([1], title="Later")
    world.fault(1, lambda call: TransientError(ErrorCode.PROVIDER_UNAVAILABLE, reason="down"))
    result = world.sync(pacing=Pacing(max_attempts=3))
    assert result.counts.pushed == 0
    codes = [entry.code for entry in result.warnings]
    assert ErrorCode.SYNC_RETRY_LATER in codes
    assert world.state.cursors(1).pending_appointments == frozenset({booked.id})
    assert world.state.mappings_by_appointment(1, [booked.id]) == {}
    world.fault(1, None)
    again = world.sync()
    assert again.counts.pushed == 1 and world.state.cursors(1).pending_appointments == frozenset()


def test_quota_exceeded_pauses_the_user_for_hours() -> None:
    world = started(World())
    world.studio.book([1], title="Blocked")
    world.fault(1, lambda call: QuotaExceededError(ErrorCode.PROVIDER_QUOTA_EXCEEDED))
    result = world.sync()
    assert result.stopped is ErrorCode.SYNC_PAUSED_FOR_QUOTA
    assert result.blocked_until == world.clock.now() + dt.timedelta(hours=6)
    world.fault(1, None)
    still = world.sync()
    assert still.stopped is ErrorCode.SYNC_PAUSED_FOR_QUOTA and still.counts.pushed == 0
    world.clock.tick(6 * 3600 + 1)
    assert world.sync().counts.pushed == 1


def test_batches_never_exceed_the_provider_limit() -> None:
    assert Pacing(batch_size=MAX_BATCH).batch_size == MAX_BATCH
    with pytest.raises(InputError) as refused:
        Pacing(batch_size=MAX_BATCH + 1)
    assert refused.value.code is ErrorCode.INVALID_VALUE


def test_populate_google_pushes_older_appointments_resumably_then_unchecks_itself() -> None:
    world = World()
    old = [world.studio.book([1], title=f"old {n}", span=timed(9, day=1 + n)) for n in range(7)]
    world.studio.book(
        [1],
        title="too old",
        span=timed(9, day=1).__class__(
            dt.datetime(2023, 1, 1, tzinfo=dt.UTC), dt.datetime(2023, 1, 1, 1, tzinfo=dt.UTC), "UTC"
        ),
    )
    started(world)
    assert world.account(1).events() == []  # older ones wait for Populate
    inserts: list[str] = []

    def crash_on_fifth(call: Call) -> ProviderError | None:
        if call.method == "insert" and call.phase == "before":
            inserts.append(call.event_id or "")
            if len(inserts) == 5:
                raise RuntimeError("power cut")
        return None

    world.fault(1, crash_on_fifth)
    options = {
        "populate_google": True,
        "populate_since": dt.date(2024, 1, 1),
        "populate_page_size": 2,
    }
    with contextlib.suppress(RuntimeError):
        world.sync(**options)
    assert world.state.cursors(1).populate_google_after == old[3].id  # two full pages done
    world.fault(1, None)
    result = world.sync(**options)
    assert result.clear_populate_google
    assert sorted(e.summary for e in world.account(1).events()) == sorted(a.title for a in old)
    assert world.state.cursors(1).populate_google_after is None


def test_populate_studio_pulls_older_google_events_from_a_date() -> None:
    world = World()
    google = world.account(1)
    for day in range(1, 8):
        google_event(google, 9, day=day, summary=f"day {day}")
    started(world)
    assert world.studio.of_user(1) == []  # the first listing is only a baseline
    result = world.sync(
        populate_studio=True, populate_since=dt.date(2024, 3, 4), populate_page_size=2
    )
    assert result.clear_populate_studio
    assert sorted(item.title for item in world.studio.of_user(1)) == [
        f"day {d}" for d in range(4, 8)
    ]
    again = world.sync(populate_studio=True, populate_since=dt.date(2024, 3, 4))
    assert again.counts.pulled == 0 and len(world.studio.of_user(1)) == 4


def test_populate_studio_needs_two_way_sync() -> None:
    world = started(World(), two_way=False)
    result = world.sync(two_way=False, populate_studio=True)
    assert ErrorCode.SYNC_POPULATE_NEEDS_TWO_WAY in [entry.code for entry in result.warnings]
    assert not result.clear_populate_studio


def test_contacts_are_matched_by_link_then_email_and_never_deleted() -> None:
    world = started(World())
    google = world.account(1)
    known = world.studio.save(7, None, _draft("Jane Doe", "JANE@example.com"))
    google.google_put_contact(display_name="Jane D.", emails=("jane@EXAMPLE.com",))
    bob = google.google_put_contact(display_name="Bob", emails=("bob@example.com",))
    google.google_put_contact(display_name="", emails=())
    result = world.sync(import_contacts=True, contacts_group_id=7)
    assert (result.counts.contacts_new, result.counts.contacts_updated) == (1, 1)
    assert world.studio.clients[known][0].name == "Jane D."
    assert ErrorCode.SYNC_CONTACT_SKIPPED in [entry.code for entry in result.log]
    google.google_put_contact(bob.resource_name, display_name="Robert")
    google.google_delete_contact(bob.resource_name)
    google.expire_contact_tokens()
    again = world.sync(import_contacts=True, contacts_group_id=7)
    assert ErrorCode.SYNC_FULL_RESYNC in [entry.code for entry in again.log]
    assert len(world.studio.clients) == 2  # nothing duplicated, nothing deleted


def test_contacts_need_a_client_group() -> None:
    world = started(World())
    result = world.sync(import_contacts=True)
    assert ErrorCode.CLIENT_GROUP_REQUIRED in [entry.code for entry in result.errors]


def _draft(name: str, email: str):  # type: ignore[no-untyped-def]
    from studiosync.sync.records import ClientDraft

    return ClientDraft(name, (email,), ())
