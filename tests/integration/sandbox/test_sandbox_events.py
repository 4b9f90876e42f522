"""Events: fields, validation, client ids, etags, tombstones, filters, import."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from googleapiclient.errors import HttpError
from sandbox_helpers import ANN, CALENDAR, error_of, timed

from studiosync.sandbox.testing import SandboxHandle

Api = Callable[..., httpx.Client]


def reason(error: HttpError) -> str:
    return str(json.loads(error.content)["error"]["errors"][0]["reason"])


def test_insert_returns_google_fields(calendar: Any) -> None:
    event = (
        calendar.events()
        .insert(
            calendarId="primary",
            body={
                "summary": "Portrait session",
                "location": "Studio A",
                **timed(3, 10, 90),
                "attendees": [
                    {"email": "client@example.com"},
                    {"email": ANN, "responseStatus": "accepted"},
                ],
                "extendedProperties": {
                    "private": {"appointment": "A-17"},
                    "shared": {"kind": "shoot"},
                },
            },
        )
        .execute()
    )
    assert event["kind"] == "calendar#event"
    assert event["status"] == "confirmed"
    assert event["eventType"] == "default"
    assert event["sequence"] == 0
    assert event["iCalUID"] == f"{event['id']}@google.com"
    assert event["etag"].startswith('"') and event["etag"].endswith('"')
    assert event["created"] == event["updated"] and event["updated"].endswith("Z")
    assert event["htmlLink"].startswith("http")
    assert event["creator"] == {"email": ANN, "self": True}
    assert event["organizer"] == {"email": ANN, "self": True}
    assert event["end"] == {"dateTime": "2030-05-03T11:30:00Z"}
    by_email = {a["email"]: a for a in event["attendees"]}
    assert by_email["client@example.com"] == {
        "email": "client@example.com",
        "responseStatus": "needsAction",
    }
    assert by_email[ANN]["self"] is True and by_email[ANN]["responseStatus"] == "accepted"
    assert event["extendedProperties"]["private"] == {"appointment": "A-17"}
    fetched = calendar.events().get(calendarId="primary", eventId=event["id"]).execute()
    assert fetched == event


def test_all_day_event_uses_dates_with_exclusive_end(calendar: Any) -> None:
    event = (
        calendar.events()
        .insert(
            calendarId="primary",
            body={
                "summary": "Wedding",
                "start": {"date": "2030-06-01"},
                "end": {"date": "2030-06-02"},
                "status": "tentative",
            },
        )
        .execute()
    )
    assert event["start"] == {"date": "2030-06-01"}
    assert event["end"] == {"date": "2030-06-02"}
    assert event["status"] == "tentative"
    with pytest.raises(HttpError) as caught:
        calendar.events().insert(
            calendarId="primary",
            body={"start": {"date": "2030-06-01"}, "end": {"date": "2030-06-01"}},
        ).execute()
    assert reason(caught.value) == "timeRangeEmpty"


@pytest.mark.parametrize(
    ("body", "wanted"),
    [
        ({"start": {"dateTime": "2030-05-01T10:00:00Z"}}, "required"),
        ({"end": {"dateTime": "2030-05-01T10:00:00Z"}}, "required"),
        ({**timed(1, 10), "end": {"dateTime": "2030-05-01T09:00:00Z"}}, "timeRangeEmpty"),
        (
            {
                "start": {"dateTime": "2030-05-01T10:00:00"},
                "end": {"dateTime": "2030-05-01T11:00:00"},
            },
            "required",
        ),
        ({"start": {"date": "2030-05-01"}, "end": {"dateTime": "2030-05-02T10:00:00Z"}}, "invalid"),
        ({**timed(1, 10), "status": "maybe"}, "invalid"),
        (
            {**timed(1, 10), "attendees": [{"email": "x@example.com", "responseStatus": "yes"}]},
            "invalid",
        ),
        ({**timed(1, 10), "attendees": [{"displayName": "No email"}]}, "required"),
        (
            {**timed(1, 10), "start": {"dateTime": "2030-05-01T10:00:00", "timeZone": "Mars/Base"}},
            "invalid",
        ),
    ],
)
def test_invalid_events_answer_400(api: Api, ann: str, body: dict[str, Any], wanted: str) -> None:
    response = api(ann, [CALENDAR]).post("/calendar/v3/calendars/primary/events", json=body)
    assert response.status_code == 400
    assert error_of(response)["errors"][0]["reason"] == wanted


def test_naive_date_time_with_time_zone_is_localised(calendar: Any) -> None:
    event = (
        calendar.events()
        .insert(
            calendarId="primary",
            body={
                "start": {"dateTime": "2030-07-01T10:00:00", "timeZone": "Europe/Berlin"},
                "end": {"dateTime": "2030-07-01T11:00:00", "timeZone": "Europe/Berlin"},
            },
        )
        .execute()
    )
    assert event["start"] == {"dateTime": "2030-07-01T10:00:00+02:00", "timeZone": "Europe/Berlin"}


@pytest.mark.parametrize(
    "event_id", ["abc", "UPPERCASE123", "has_underscore1", "wxyz12345", "a" * 1025]
)
def test_client_ids_must_be_base32hex_5_to_1024(api: Api, ann: str, event_id: str) -> None:
    response = api(ann, [CALENDAR]).post(
        "/calendar/v3/calendars/primary/events", json={"id": event_id, **timed(1, 10)}
    )
    assert response.status_code == 400
    assert error_of(response)["errors"][0] == {
        "domain": "global",
        "reason": "invalid",
        "message": "Invalid resource id value.",
    }


def test_client_id_accepted_and_duplicate_answers_409(calendar: Any) -> None:
    body = {"id": "appt0000017v", "summary": "First", **timed(1, 10)}
    created = calendar.events().insert(calendarId="primary", body=body).execute()
    assert created["id"] == "appt0000017v"
    with pytest.raises(HttpError) as caught:
        calendar.events().insert(calendarId="primary", body=body).execute()
    assert caught.value.resp.status == 409
    assert reason(caught.value) == "duplicate"
    calendar.events().delete(calendarId="primary", eventId="appt0000017v").execute()
    with pytest.raises(HttpError) as again:
        calendar.events().insert(calendarId="primary", body=body).execute()
    assert again.value.resp.status == 409


def test_stale_etag_answers_412_condition_not_met(calendar: Any) -> None:
    event = (
        calendar.events()
        .insert(calendarId="primary", body={"summary": "v1", **timed(1, 10)})
        .execute()
    )
    changed = (
        calendar.events()
        .patch(calendarId="primary", eventId=event["id"], body={"summary": "v2"})
        .execute()
    )
    assert changed["etag"] != event["etag"]
    for build in (
        lambda: calendar.events().update(
            calendarId="primary", eventId=event["id"], body={**event, "summary": "v3"}
        ),
        lambda: calendar.events().patch(
            calendarId="primary", eventId=event["id"], body={"summary": "v3"}
        ),
        lambda: calendar.events().delete(calendarId="primary", eventId=event["id"]),
    ):
        request = build()
        request.headers["If-Match"] = event["etag"]
        with pytest.raises(HttpError) as caught:
            request.execute()
        assert caught.value.resp.status == 412
        assert reason(caught.value) == "conditionNotMet"
    request = calendar.events().patch(
        calendarId="primary", eventId=event["id"], body={"summary": "v3"}
    )
    request.headers["If-Match"] = changed["etag"]
    assert request.execute()["summary"] == "v3"


def test_if_none_match_gives_304(api: Api, ann: str) -> None:
    client = api(ann, [CALENDAR])
    event = client.post("/calendar/v3/calendars/primary/events", json=timed(1, 10)).json()
    same = client.get(
        f"/calendar/v3/calendars/primary/events/{event['id']}",
        headers={"If-None-Match": event["etag"]},
    )
    assert same.status_code == 304


def test_update_replaces_patch_merges_and_sequence_grows(calendar: Any) -> None:
    event = (
        calendar.events()
        .insert(
            calendarId="primary",
            body={
                "summary": "Shoot",
                "description": "bring lights",
                **timed(1, 10),
                "extendedProperties": {"private": {"a": "1", "b": "2"}},
            },
        )
        .execute()
    )
    patched = (
        calendar.events()
        .patch(
            calendarId="primary",
            eventId=event["id"],
            body={"extendedProperties": {"private": {"b": "3"}}},
        )
        .execute()
    )
    assert patched["extendedProperties"]["private"] == {"a": "1", "b": "3"}
    assert patched["description"] == "bring lights"
    assert patched["sequence"] == 0
    moved = (
        calendar.events()
        .patch(calendarId="primary", eventId=event["id"], body=timed(2, 10))
        .execute()
    )
    assert moved["sequence"] == 1
    replaced = (
        calendar.events()
        .update(
            calendarId="primary",
            eventId=event["id"],
            body={"summary": "Shoot (moved)", **timed(2, 11)},
        )
        .execute()
    )
    assert "description" not in replaced and "extendedProperties" not in replaced
    assert replaced["sequence"] == 2
    assert replaced["created"] == event["created"]
    assert replaced["iCalUID"] == event["iCalUID"]


def test_delete_leaves_a_tombstone_and_second_delete_is_410(calendar: Any) -> None:
    event = (
        calendar.events()
        .insert(calendarId="primary", body={"summary": "Gone soon", **timed(1, 10)})
        .execute()
    )
    calendar.events().delete(calendarId="primary", eventId=event["id"]).execute()
    fetched = calendar.events().get(calendarId="primary", eventId=event["id"]).execute()
    assert fetched["status"] == "cancelled"
    with pytest.raises(HttpError) as caught:
        calendar.events().delete(calendarId="primary", eventId=event["id"]).execute()
    assert caught.value.resp.status == 410
    assert reason(caught.value) == "deleted"
    listed = calendar.events().list(calendarId="primary").execute()["items"]
    assert listed == []
    with_deleted = calendar.events().list(calendarId="primary", showDeleted=True).execute()
    assert with_deleted["items"] == [
        {
            "kind": "calendar#event",
            "etag": with_deleted["items"][0]["etag"],
            "id": event["id"],
            "status": "cancelled",
        }
    ]


def test_unknown_event_is_404(calendar: Any) -> None:
    with pytest.raises(HttpError) as caught:
        calendar.events().get(calendarId="primary", eventId="nosuchevent1").execute()
    assert caught.value.resp.status == 404


def test_filters_q_properties_ical_uid_and_time_window(calendar: Any) -> None:
    insert = calendar.events().insert
    a = insert(
        calendarId="primary",
        body={
            "summary": "Wedding Smith",
            **timed(1, 10),
            "extendedProperties": {"private": {"appt": "1"}},
        },
    ).execute()
    b = insert(
        calendarId="primary",
        body={
            "summary": "Portrait Jones",
            **timed(5, 10),
            "extendedProperties": {"private": {"appt": "2"}, "shared": {"room": "A"}},
        },
    ).execute()

    def ids(**params: Any) -> set[str]:
        items = calendar.events().list(calendarId="primary", **params).execute()["items"]
        return {item["id"] for item in items}

    assert ids() == {a["id"], b["id"]}
    assert ids(q="wedding") == {a["id"]}
    assert ids(privateExtendedProperty="appt=2") == {b["id"]}
    assert ids(privateExtendedProperty=["appt=2", "other=x"]) == set()
    assert ids(sharedExtendedProperty="room=A") == {b["id"]}
    assert ids(iCalUID=a["iCalUID"]) == {a["id"]}
    assert ids(timeMin="2030-05-03T00:00:00Z") == {b["id"]}
    assert ids(timeMax="2030-05-01T10:30:00Z") == {a["id"]}
    assert ids(timeMin="2030-05-01T11:00:00Z", timeMax="2030-05-05T10:00:00Z") == set()


def test_order_by_start_time_needs_single_events(calendar: Any) -> None:
    with pytest.raises(HttpError) as caught:
        calendar.events().list(calendarId="primary", orderBy="startTime").execute()
    assert caught.value.resp.status == 400
    insert = calendar.events().insert
    late = insert(calendarId="primary", body={"id": "aaaaaaa1", **timed(9, 10)}).execute()
    early = insert(calendarId="primary", body={"id": "bbbbbbb1", **timed(2, 10)}).execute()
    ordered = (
        calendar.events()
        .list(calendarId="primary", orderBy="startTime", singleEvents=True)
        .execute()["items"]
    )
    assert [item["id"] for item in ordered] == [early["id"], late["id"]]


def test_import_is_idempotent_by_ical_uid(calendar: Any) -> None:
    body = {"iCalUID": "shoot-42@studio.example", "summary": "Imported", **timed(4, 15)}
    first = calendar.events().import_(calendarId="primary", body=body).execute()
    second = (
        calendar.events()
        .import_(calendarId="primary", body={**body, "summary": "Imported again"})
        .execute()
    )
    assert first["id"] == second["id"]
    assert second["summary"] == "Imported again"
    assert second["iCalUID"] == "shoot-42@studio.example"
    with pytest.raises(HttpError):
        calendar.events().import_(calendarId="primary", body=timed(4, 15)).execute()


def test_calendars_insert_get_delete(google: SandboxHandle, calendar: Any) -> None:
    created = (
        calendar.calendars()
        .insert(body={"summary": "Bookings", "timeZone": "Europe/London"})
        .execute()
    )
    assert created["id"].endswith("@group.calendar.google.com")
    entry = calendar.calendarList().get(calendarId=created["id"]).execute()
    assert entry["accessRole"] == "owner" and "primary" not in entry
    assert (
        calendar.calendars().get(calendarId=created["id"]).execute()["timeZone"] == "Europe/London"
    )
    primary = calendar.calendarList().get(calendarId="primary").execute()
    assert primary["primary"] is True and primary["id"] == ANN
    calendar.events().insert(calendarId=created["id"], body=timed(1, 10)).execute()
    calendar.calendars().delete(calendarId=created["id"]).execute()
    with pytest.raises(HttpError) as caught:
        calendar.events().list(calendarId=created["id"]).execute()
    assert caught.value.resp.status == 404
    with pytest.raises(HttpError) as primary_delete:
        calendar.calendars().delete(calendarId="primary").execute()
    assert primary_delete.value.resp.status == 400
