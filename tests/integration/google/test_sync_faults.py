"""Google failing, over the real stack: rate limits, quota, 5xx, drops, 410, revoked grants."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from google_world import Desk, Linked, RecordedWaits, logged

from studiosync.accounts.models import AccountStatus, GoogleAccount
from studiosync.accounts.sandbox_signin import link_on_sandbox
from studiosync.errors import ErrorCode
from studiosync.sandbox.testing import SandboxHandle
from studiosync.sync.options import Pacing

pytestmark = pytest.mark.shared_sandbox  # one sandbox Google per module

EVENTS = "/calendar/v3/calendars/*/events"
EVENTS_TEMPLATE = "/calendar/v3/calendars/{calendarId}/events"
BATCH = "/batch/calendar/v3"


def _statuses(google: SandboxHandle, method: str, path: str) -> Counter[int]:
    counted: Counter[int] = Counter()
    for row in google.stats()["requests"]:
        if row["method"] == method and row["path"] == path:
            counted[row["status"]] += row["count"]
    return counted


def _one_event_each(desk: Desk, user: Linked, appointments: list[int]) -> None:
    ids = sorted(event["id"] for event in desk.events(user))
    assert ids == sorted(desk.event_id(user, appointment) for appointment in appointments)


def test_rate_limits_are_waited_out_with_backoff(desk: Desk, maya: Linked) -> None:
    booked = [desk.book(maya, title=f"Session {n}") for n in range(3)]
    desk.google.clear_stats()
    for reason in ("userRateLimitExceeded", "rateLimitExceeded"):  # 403s, one of each
        desk.google.add_fault(path=EVENTS, method="GET", reason=reason, count=1)
    desk.google.add_fault(path=EVENTS, method="POST", status=429, count=4)
    result = desk.sync(maya)
    assert result.ok and result.counts.pushed == 3
    assert _statuses(desk.google, "GET", EVENTS_TEMPLATE) == {403: 2, 200: 1}
    assert _statuses(desk.google, "POST", EVENTS_TEMPLATE) == {429: 4, 200: 3}
    _one_event_each(desk, maya, booked)
    # Exponential backoff with jitter: a first retry waits 0.5–1 s, a second one 1–2 s; for
    # the listing (two 403s), then for the batch (three 429s, then one more on the retry).
    first, second = (0.5, 1.0), (1.0, 2.0)
    expected = [first, second, first, second]
    waits = desk.clock.waits
    assert len(waits) == len(expected)
    assert all(low <= wait <= high for wait, (low, high) in zip(waits, expected, strict=True))


def test_paced_under_the_per_user_quota_no_call_is_refused(desk: Desk, maya: Linked) -> None:
    booked = [desk.book(maya, title=f"Session {n}") for n in range(45)]
    desk.google.configure(quota_user_per_minute=30)
    desk.google.advance_clock(3590)  # and the access token runs out ten seconds into the run
    desk.clock = RecordedWaits(desk.google)  # waiting moves the sandbox's quota window too
    desk.google.clear_stats()
    result = desk.sync(maya, pacing=Pacing(requests_per_minute=28, batch_size=10))
    assert result.ok and result.counts.pushed == 45
    refused = [row for row in desk.google.stats()["requests"] if row["status"] in (403, 429)]
    assert refused == []
    assert _statuses(desk.google, "POST", EVENTS_TEMPLATE)[401] > 0  # a batch met the expiry,
    assert desk.google.count("POST", "/token") == 1  # the token was refreshed, the batch resent
    # 46 calls (a listing, then 45 inserts): one batch of 10 goes at once, the rest at the
    # remaining 28 - 10 = 18 calls a minute: 36 / 18 = 2 minutes of waiting.
    assert 115 <= sum(desk.clock.waits) <= 125
    desk.google.configure(quota_user_per_minute=None)
    _one_event_each(desk, maya, booked)


def test_a_used_up_quota_pauses_the_user_for_hours(desk: Desk, maya: Linked) -> None:
    booked = desk.book(maya, title="Portrait")
    desk.google.set_daily_limit_exceeded(maya.email)
    paused = desk.sync(maya)
    assert paused.stopped is ErrorCode.SYNC_PAUSED_FOR_QUOTA
    assert paused.blocked_until is not None
    hours = (paused.blocked_until - desk.clock.now()).total_seconds() / 3600
    assert 5.9 < hours <= 6
    assert logged(paused, ErrorCode.SYNC_PAUSED_FOR_QUOTA)[0]["until"]
    row = desk.cursor_row(maya)
    assert row is not None and row.blocked_until == paused.blocked_until
    desk.google.set_daily_limit_exceeded(maya.email, False)
    desk.google.clear_stats()
    still = desk.sync(maya)  # within the pause nothing is asked of Google
    assert still.stopped is ErrorCode.SYNC_PAUSED_FOR_QUOTA
    assert desk.google.stats()["total"] == 0
    desk.clock.jump(dt.timedelta(hours=6, minutes=1))
    resumed = desk.sync(maya)
    assert resumed.ok and resumed.counts.pushed == 1
    _one_event_each(desk, maya, [booked])


def test_a_quota_pause_is_a_warning_not_an_error(desk: Desk, maya: Linked) -> None:
    desk.book(maya, title="Portrait")
    desk.google.set_daily_limit_exceeded(maya.email)
    paused = desk.sync(maya)
    assert paused.blocked_until is not None
    assert [e.code for e in paused.warnings] == [ErrorCode.SYNC_PAUSED_FOR_QUOTA]
    assert paused.errors == []


def test_server_errors_give_up_for_the_round_and_nothing_is_lost(desk: Desk, maya: Linked) -> None:
    booked = [desk.book(maya, title=f"Session {n}") for n in range(2)]
    pulled = desk.add_event(maya, "Dentist")
    assert desk.sync(maya).counts.pulled == 1
    pulled_id = _pulled(desk, maya)
    desk.change_event(maya, pulled["id"], summary="Dentist, later")
    later = desk.book(maya, title="Booked during the outage")
    desk.google.add_fault(path=EVENTS, method="GET", status=503)
    desk.google.add_fault(path=EVENTS, method="POST", status=500)
    failed = desk.sync(maya)
    assert failed.stopped is None and failed.counts.pushed == 0
    retry_later = logged(failed, ErrorCode.SYNC_RETRY_LATER)
    assert {entry["item"] for entry in retry_later} == {
        "the Google changes",
        f"appointment {later}",
    }
    assert failed.errors == []
    assert _statuses(desk.google, "POST", EVENTS_TEMPLATE)[500] == 5  # five tries, then later
    desk.google.clear_faults()
    recovered = desk.sync(maya)
    assert recovered.ok and recovered.counts.pushed == 1 and recovered.counts.pulled_updated == 1
    assert sorted(e["id"] for e in desk.events(maya)) == sorted(
        [*(desk.event_id(maya, a) for a in [*booked, later]), pulled["id"]]
    )
    made = desk.appointment(pulled_id)
    assert made is not None and made.title == "Dentist, later"
    desk.quiet(maya)


def _pulled(desk: Desk, maya: Linked) -> int:
    [made] = [a.id for a in desk.appointments_of(maya) if a.type == "Google"]
    return made


def test_dropped_connections_are_retried_then_left_for_the_next_round(
    desk: Desk, maya: Linked
) -> None:
    first = desk.book(maya, title="First")
    desk.google.add_fault(path=BATCH, method="POST", drop_connection=True, count=3)
    result = desk.sync(maya)
    assert result.ok and result.counts.pushed == 1
    assert _statuses(desk.google, "POST", BATCH)[0] == 3  # status 0: dropped
    second = desk.book(maya, title="Second")
    desk.google.add_fault(path=BATCH, method="POST", drop_connection=True)
    dropped = desk.sync(maya)
    assert dropped.stopped is None and dropped.counts.pushed == 0
    assert [e["item"] for e in logged(dropped, ErrorCode.SYNC_RETRY_LATER)] == [
        f"appointment {second}"
    ]
    row = desk.cursor_row(maya)
    assert row is not None and row.pending_appointments == [second]
    desk.google.clear_faults()
    assert desk.sync(maya).counts.pushed == 1
    _one_event_each(desk, maya, [first, second])
    row = desk.cursor_row(maya)
    assert row is not None and row.pending_appointments == []


def test_a_lost_sync_token_resyncs_everything_without_duplicates(desk: Desk, maya: Linked) -> None:
    ours = [desk.book(maya, title=f"Studio {n}") for n in range(3)]
    theirs = [desk.add_event(maya, f"Phone {n}")["id"] for n in range(3)]
    assert desk.sync(maya).counts.pulled == 3
    desk.add_event(maya, "Phone, while the token was lost")
    desk.change_event(maya, theirs[0], summary="Phone 0, edited")
    desk.drop_event(maya, theirs[1])
    desk.edit(ours[0], title="Studio 0, edited")
    ours.append(desk.book(maya, title="Studio, while the token was lost"))
    desk.google.expire_sync_tokens()
    result = desk.sync(maya)
    assert result.ok and result.full_resync
    assert ErrorCode.SYNC_FULL_RESYNC in {entry.code for entry in result.warnings}
    counts = result.counts
    assert (counts.pushed, counts.pushed_updated) == (1, 1)
    assert (counts.pulled, counts.pulled_updated, counts.pulled_deleted) == (1, 1, 1)
    summaries = sorted(event["summary"] for event in desk.events(maya))
    titles = sorted(a.title for a in desk.appointments_of(maya))
    assert (
        summaries
        == titles
        == sorted(
            [
                "Phone 0, edited",
                "Phone 2",
                "Phone, while the token was lost",
                "Studio 0, edited",
                "Studio 1",
                "Studio 2",
                "Studio, while the token was lost",
            ]
        )
    )
    desk.google.expire_sync_tokens()  # and once more with nothing changed: nothing moves
    again = desk.sync(maya)
    assert again.ok and again.full_resync
    assert (again.counts.pushed, again.counts.updated, again.counts.pulled) == (0, 0, 0)
    assert len(desk.events(maya)) == len(desk.appointments_of(maya)) == 7


def test_a_changed_google_password_asks_for_reauthentication_then_resumes(
    desk: Desk, maya: Linked
) -> None:
    booked = desk.book(maya, title="Booked before")
    desk.sync(maya)
    desk.google.change_password(maya.email, "new password")  # every grant dies
    desk.google.advance_clock(3700)  # the stored access token runs out
    during = desk.book(maya, title="Booked while signed out")
    result = desk.sync(maya)
    assert result.stopped is ErrorCode.GOOGLE_REAUTH_NEEDED
    assert result.errors[-1].params["google_email"] == maya.email
    with desk.studio.transaction() as session:
        account = session.get(GoogleAccount, maya.user_id)
        assert account is not None and account.status is AccountStatus.NEEDS_REAUTH
        assert account.last_error_code == "invalid_grant"
    link_on_sandbox(desk.studio, desk.endpoints, "maya", maya.email, "new password")
    resumed = desk.sync(maya)
    assert resumed.ok and resumed.counts.pushed == 1
    _one_event_each(desk, maya, [booked, during])
