"""The Google provider over real HTTP to the sandbox: listings, tokens, batches and failures."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from studiosync.errors import (
    PreconditionFailedError,
    RateLimitedError,
    RemoteDuplicateError,
    RemoteNotFoundError,
    SyncTokenExpiredError,
    TransientError,
)
from studiosync.providers.base import (
    Applied,
    DeleteEvent,
    EventBody,
    EventTime,
    InsertEvent,
    UpdateEvent,
)
from studiosync.providers.google.provider import GoogleProvider, connect
from studiosync.sandbox.testing import SandboxHandle, running_sandbox

ANN = "ann@sandbox.example"
SCOPES = (
    "https://www.googleapis.com/auth/calendar",
    "https://www.googleapis.com/auth/contacts",
)
START = dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def google() -> Iterator[SandboxHandle]:
    with running_sandbox() as handle:
        yield handle


@pytest.fixture
def provider(google: SandboxHandle) -> GoogleProvider:
    google.reset()
    google.create_account(ANN)
    google.add_calendar(ANN, "Shared with me", access_role="reader")
    return connect(google.credentials(ANN, SCOPES), google.base_url)


def body(summary: str, hour: int = 10) -> EventBody:
    begins = START.replace(hour=hour)
    return EventBody(
        summary=summary,
        description="notes",
        location="Studio A",
        start=EventTime(date_time=begins),
        end=EventTime(date_time=begins + dt.timedelta(hours=1)),
        time_zone="Europe/London",
        private={"studiosyncAppointment": "1"},
    )


def test_calendar_list_says_which_calendars_are_writable(provider: GoogleProvider) -> None:
    calendars = {c.summary: c for c in provider.list_calendars()}
    primary = next(c for c in calendars.values() if c.primary)
    assert primary.id == ANN and primary.writable
    assert not calendars["Shared with me"].writable


def test_a_batch_inserts_with_our_ids_and_reports_each_outcome(provider: GoogleProvider) -> None:
    outcomes = provider.apply(
        ANN,
        [
            InsertEvent("ssabc00001", body("one")),
            InsertEvent("ssabc00002", body("two", 12)),
            InsertEvent("ssabc00001", body("dup")),
        ],
    )
    assert isinstance(outcomes[0], Applied) and outcomes[0].event
    assert outcomes[0].event.id == "ssabc00001" and outcomes[0].event.etag
    assert outcomes[0].event.private == {"studiosyncAppointment": "1"}
    assert isinstance(outcomes[1], Applied)
    assert isinstance(outcomes[2], RemoteDuplicateError)


def test_stale_etags_get_412_and_deleting_twice_says_gone(provider: GoogleProvider) -> None:
    made = provider.apply(ANN, [InsertEvent("ssabc00003", body("one"))])[0]
    assert isinstance(made, Applied) and made.event
    first = provider.apply(ANN, [UpdateEvent("ssabc00003", body("edit"), made.event.etag)])[0]
    assert isinstance(first, Applied)
    stale = provider.apply(ANN, [UpdateEvent("ssabc00003", body("late"), made.event.etag)])[0]
    assert isinstance(stale, PreconditionFailedError)
    gone = provider.apply(ANN, [DeleteEvent("ssabc00003"), DeleteEvent("ssabc00003")])
    assert gone[0] == Applied(None)
    assert isinstance(gone[1], RemoteNotFoundError)  # the engine forgets the link, no error


def test_changes_full_then_incremental_with_cancelled_stubs(provider: GoogleProvider) -> None:
    provider.apply(ANN, [InsertEvent(f"ssabc0010{n}", body(f"e{n}")) for n in range(3)])
    full = provider.changes(ANN, None)
    assert sorted(e.summary for e in full.events) == ["e0", "e1", "e2"]
    assert full.events[0].start and full.events[0].start.date_time
    assert full.next_sync_token
    provider.apply(ANN, [DeleteEvent("ssabc00100"), UpdateEvent("ssabc00101", body("moved"), None)])
    later = provider.changes(ANN, full.next_sync_token)
    by_id = {e.id: e for e in later.events}
    assert set(by_id) == {"ssabc00100", "ssabc00101"}
    assert by_id["ssabc00100"].cancelled and by_id["ssabc00101"].summary == "moved"
    assert provider.changes(ANN, later.next_sync_token).events == []


def test_an_expired_sync_token_asks_for_a_full_sync(
    provider: GoogleProvider, google: SandboxHandle
) -> None:
    token = provider.changes(ANN, None).next_sync_token
    google.expire_sync_tokens()
    with pytest.raises(SyncTokenExpiredError):
        provider.changes(ANN, token)


def test_contacts_sync_with_deletions_and_the_people_400(
    provider: GoogleProvider, google: SandboxHandle
) -> None:
    people = google.people_service(ANN, SCOPES[1:])
    made = (
        people.people()
        .createContact(
            body={
                "names": [{"givenName": "Jane", "familyName": "Doe"}],
                "emailAddresses": [{"value": "jane@example.com"}],
            }
        )
        .execute()
    )
    first = provider.contacts(None)
    assert [c.emails for c in first.contacts] == [("jane@example.com",)]
    people.people().deleteContact(resourceName=made["resourceName"]).execute()
    later = provider.contacts(first.next_sync_token)
    assert [(c.resource_name, c.deleted) for c in later.contacts] == [(made["resourceName"], True)]
    google.expire_sync_tokens()
    with pytest.raises(SyncTokenExpiredError):
        provider.contacts(later.next_sync_token)


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        ({"status": 403, "reason": "rateLimitExceeded"}, RateLimitedError),
        ({"status": 429}, RateLimitedError),
        ({"status": 503}, TransientError),
        ({"drop_connection": True, "count": 2}, TransientError),  # httplib2 retries once
    ],
)
def test_failures_become_studiosync_errors(
    provider: GoogleProvider,
    google: SandboxHandle,
    fault: dict[str, object],
    error: type[Exception],
) -> None:
    google.add_fault(path="/calendar/v3/calendars/*", **{"count": 1, **fault})
    with pytest.raises(error):
        provider.changes(ANN, None)
    assert provider.changes(ANN, None).next_sync_token  # the next call goes through
