"""Event bodies, times and small look-ups shared by the provider contract tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from studiosync.errors import ProviderError
from studiosync.providers.base import (
    Applied,
    EventBody,
    EventStatus,
    EventTime,
    InsertEvent,
    Operation,
    Outcome,
    RemoteEvent,
)
from studiosync.testing.contract import ProviderHarness

SOON = (dt.datetime.now(dt.UTC) + dt.timedelta(days=30)).replace(
    hour=10, minute=0, second=0, microsecond=0
)
"""A moment a month ahead: well inside any service's window for expanding series."""
HOUR = dt.timedelta(hours=1)
STUDIO_TAG = {"studiosyncAppointment": "a-1", "studiosyncUser": "u-1"}


def timed(
    summary: str, *, hours_later: int = 0, zone: str = "Europe/London", **extra: object
) -> EventBody:
    start = SOON + dt.timedelta(hours=hours_later)
    fields: dict[str, object] = {
        "summary": summary,
        "description": f"{summary} notes",
        "location": "Studio A",
        "start": EventTime(date_time=start),
        "end": EventTime(date_time=start + HOUR),
        "time_zone": zone,
        "status": EventStatus.CONFIRMED,
        "private": dict(STUDIO_TAG),
    }
    fields.update(extra)
    return EventBody(**fields)  # type: ignore[arg-type]


def event_id(number: int) -> str:
    """A chosen id in Google's alphabet (base32hex: a-v and digits, 5 to 1024 characters)."""
    return f"contract{number:06d}"


def one(harness: ProviderHarness, operation: Operation) -> Outcome:
    (outcome,) = harness.provider.apply(harness.calendar_id, [operation])
    return outcome


def applied(outcome: Outcome) -> RemoteEvent:
    """The event an operation answered; fails the test with the error when it was refused."""
    if isinstance(outcome, ProviderError):
        raise AssertionError(f"refused: {outcome!r}")
    assert isinstance(outcome, Applied) and outcome.event is not None
    return outcome.event


def insert(harness: ProviderHarness, number: int, body: EventBody) -> RemoteEvent:
    return applied(one(harness, InsertEvent(event_id(number), body)))


def by_id(events: Sequence[RemoteEvent]) -> dict[str, RemoteEvent]:
    ids = [event.id for event in events]
    assert len(ids) == len(set(ids)), f"an event is listed twice: {sorted(ids)}"
    return {event.id: event for event in events}


def listing(harness: ProviderHarness) -> dict[str, RemoteEvent]:
    """The full listing (no token) by id; no event may be listed twice."""
    return by_id(harness.provider.changes(harness.calendar_id, None).events)
