"""Google JSON to records and back; what cannot be read is named, never guessed."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from studiosync.errors import (
    AccessDeniedError,
    ErrorCode,
    PreconditionFailedError,
    QuotaExceededError,
    RateLimitedError,
    RemoteDuplicateError,
    RemoteNotFoundError,
    SyncTokenExpiredError,
    TransientError,
)
from studiosync.providers.base import EventBody, EventTime
from studiosync.providers.google.convert import body_to_json, contact_from_json, event_from_json
from studiosync.providers.google.errors import error_from_response


def test_a_timed_event_with_attendees_and_private_properties() -> None:
    event = event_from_json(
        {
            "id": "abc12345",
            "etag": '"1"',
            "status": "tentative",
            "summary": "Shoot",
            "start": {"dateTime": "2026-12-01T10:00:00+01:00", "timeZone": "Europe/Paris"},
            "end": {"dateTime": "2026-12-01T11:00:00+01:00"},
            "updated": "2026-11-20T08:00:00.000Z",
            "attendees": [{"email": "me@x.com", "responseStatus": "needsAction", "self": True}],
            "extendedProperties": {"private": {"studiosyncAppointment": "7"}},
        }
    )
    assert event.start and event.start.date_time == dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC)
    assert event.time_zone == "Europe/Paris" and event.status == "tentative"
    assert event.attendees[0].is_self and event.attendees[0].response_status == "needsAction"
    assert event.private == {"studiosyncAppointment": "7"} and event.unreadable is None
    assert event.updated == dt.datetime(2026, 11, 20, 8, tzinfo=dt.UTC)


def test_all_day_events_keep_dates_and_take_the_calendar_zone() -> None:
    event = event_from_json(
        {"id": "x1234", "start": {"date": "2026-12-24"}, "end": {"date": "2026-12-26"}},
        calendar_zone="Europe/London",
    )
    assert event.start == EventTime(date=dt.date(2026, 12, 24))
    assert event.time_zone == "Europe/London"


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ({"id": "n1234", "summary": "no start"}, "start"),
        (
            {
                "id": "n1234",
                "start": {"dateTime": "2026-12-01T10:00:00"},
                "end": {"dateTime": "2026-12-01T11:00:00Z"},
            },
            "start/end",
        ),
        (
            {
                "id": "n1234",
                "start": {"dateTime": "2026-12-01T10:00:00Z", "timeZone": "Mars/Base"},
                "end": {"dateTime": "2026-12-01T11:00:00Z"},
            },
            "timeZone",
        ),
    ],
)
def test_unreadable_events_name_the_field(raw: dict[str, object], field: str) -> None:
    assert event_from_json(raw).unreadable == field


def test_a_cancelled_stub_with_only_an_id_is_readable() -> None:
    stub = event_from_json({"id": "gone1", "status": "cancelled"})
    assert stub.cancelled and stub.unreadable is None and stub.start is None


def test_bodies_carry_zone_dates_and_our_id() -> None:
    body = EventBody(
        summary="S",
        description="D",
        location="L",
        start=EventTime(date=dt.date(2026, 1, 1)),
        end=EventTime(date=dt.date(2026, 1, 2)),
        time_zone="UTC",
        private={"k": "v"},
    )
    payload = body_to_json(body, "ssabc1")
    assert payload["id"] == "ssabc1" and payload["start"] == {"date": "2026-01-01"}
    assert payload["extendedProperties"] == {"private": {"k": "v"}}


def test_contacts_and_deleted_contacts() -> None:
    person = contact_from_json(
        {
            "resourceName": "people/c1",
            "etag": "e",
            "names": [{"displayName": "Jane Doe"}],
            "emailAddresses": [{"value": "jane@example.com"}],
            "phoneNumbers": [{"value": "123"}],
        }
    )
    assert (person.display_name, person.emails, person.phones) == (
        "Jane Doe",
        ("jane@example.com",),
        ("123",),
    )
    assert contact_from_json({"resourceName": "people/c2", "metadata": {"deleted": True}}).deleted


def _body(reason: str = "", status: str = "") -> bytes:
    return json.dumps(
        {"error": {"errors": [{"reason": reason}] if reason else [], "status": status}}
    ).encode()


@pytest.mark.parametrize(
    ("status", "body", "kind", "code"),
    [
        (
            400,
            _body("", "FAILED_PRECONDITION"),
            SyncTokenExpiredError,
            ErrorCode.PROVIDER_SYNC_TOKEN_EXPIRED,
        ),
        (403, _body("rateLimitExceeded"), RateLimitedError, ErrorCode.PROVIDER_RATE_LIMITED),
        (403, _body("userRateLimitExceeded"), RateLimitedError, ErrorCode.PROVIDER_RATE_LIMITED),
        (429, _body(), RateLimitedError, ErrorCode.PROVIDER_RATE_LIMITED),
        (403, _body("quotaExceeded"), QuotaExceededError, ErrorCode.PROVIDER_QUOTA_EXCEEDED),
        (403, _body("forbidden"), AccessDeniedError, ErrorCode.PROVIDER_FORBIDDEN),
        (404, _body("notFound"), RemoteNotFoundError, ErrorCode.PROVIDER_ITEM_NOT_FOUND),
        (409, _body("duplicate"), RemoteDuplicateError, ErrorCode.PROVIDER_DUPLICATE_ID),
        (
            410,
            _body("fullSyncRequired"),
            SyncTokenExpiredError,
            ErrorCode.PROVIDER_SYNC_TOKEN_EXPIRED,
        ),
        (410, _body("deleted"), RemoteNotFoundError, ErrorCode.PROVIDER_ITEM_NOT_FOUND),
        (412, _body("conditionNotMet"), PreconditionFailedError, ErrorCode.PROVIDER_ETAG_MISMATCH),
        (503, b"<html>busy</html>", TransientError, ErrorCode.PROVIDER_UNAVAILABLE),
    ],
)
def test_every_google_answer_maps_to_one_error(
    status: int, body: bytes, kind: type[Exception], code: ErrorCode
) -> None:
    error = error_from_response(status, body, what="event x")
    assert isinstance(error, kind) and error.code is code
