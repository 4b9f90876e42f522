"""Authentication and scopes: 401 without a live token, 403 without a fitting scope or access."""

from __future__ import annotations

import json
from collections.abc import Callable

import httpx
import pytest
from googleapiclient.errors import HttpError
from sandbox_helpers import (
    ANN,
    BOB,
    CALENDAR,
    CALENDAR_EVENTS,
    CALENDAR_READONLY,
    CONTACTS_READONLY,
    error_of,
    timed,
)

from studiosync.sandbox.testing import SandboxHandle

Api = Callable[..., httpx.Client]


def test_missing_credentials_answer_401_login_required(google: SandboxHandle, ann: str) -> None:
    with httpx.Client(base_url=google.base_url) as client:
        response = client.get("/calendar/v3/calendars/primary/events")
    assert response.status_code == 401
    error = error_of(response)
    assert error["status"] == "UNAUTHENTICATED"
    assert error["errors"][0] == {
        "domain": "global",
        "reason": "required",
        "message": "Login Required.",
        "location": "Authorization",
        "locationType": "header",
    }
    assert response.headers["www-authenticate"].startswith("Bearer")


def test_unknown_and_expired_tokens_answer_401_auth_error(google: SandboxHandle, ann: str) -> None:
    tokens = google.issue_tokens(ann, [CALENDAR])
    with httpx.Client(base_url=google.base_url) as client:
        bogus = client.get(
            "/calendar/v3/users/me/calendarList",
            headers={"Authorization": "Bearer ya29.not-a-token"},
        )
        assert bogus.status_code == 401
        assert error_of(bogus)["errors"][0]["reason"] == "authError"
        good = {"Authorization": f"Bearer {tokens['access_token']}"}
        assert client.get("/calendar/v3/users/me/calendarList", headers=good).status_code == 200
        google.advance_clock(3599)
        assert client.get("/calendar/v3/users/me/calendarList", headers=good).status_code == 200
        google.advance_clock(2)
        expired = client.get("/calendar/v3/users/me/calendarList", headers=good)
        assert expired.status_code == 401
        assert error_of(expired)["details"][0]["reason"] == "ACCESS_TOKEN_EXPIRED"


def test_token_ttl_is_configurable(google: SandboxHandle, ann: str) -> None:
    google.configure(token_ttl=60)
    tokens = google.issue_tokens(ann, [CALENDAR])
    assert tokens["expires_in"] == 60
    google.advance_clock(61)
    with httpx.Client(base_url=google.base_url) as client:
        response = client.get(
            "/calendar/v3/users/me/calendarList",
            headers={"Authorization": f"Bearer {tokens['access_token']}"},
        )
    assert response.status_code == 401


def test_calendar_events_scope_cannot_list_calendars(google: SandboxHandle, ann: str) -> None:
    service = google.calendar_service(ann, [CALENDAR_EVENTS])
    with pytest.raises(HttpError) as caught:
        service.calendarList().list().execute()
    assert caught.value.resp.status == 403
    error = json.loads(caught.value.content)["error"]
    assert error["errors"][0]["reason"] == "insufficientPermissions"
    assert error["details"][0]["reason"] == "ACCESS_TOKEN_SCOPE_INSUFFICIENT"
    assert error["message"] == "Request had insufficient authentication scopes."
    assert error["status"] == "PERMISSION_DENIED"
    created = service.events().insert(calendarId="primary", body=timed(1, 9)).execute()
    listed = service.events().list(calendarId="primary").execute()
    assert [item["id"] for item in listed["items"]] == [created["id"]]


def test_readonly_scopes_cannot_write(google: SandboxHandle, ann: str, api: Api) -> None:
    readonly = api(ann, [CALENDAR_READONLY])
    assert readonly.get("/calendar/v3/users/me/calendarList").status_code == 200
    refused = readonly.post("/calendar/v3/calendars/primary/events", json=timed(1, 9))
    assert refused.status_code == 403
    assert error_of(refused)["errors"][0]["reason"] == "insufficientPermissions"
    contacts = api(ann, [CONTACTS_READONLY])
    assert (
        contacts.get("/v1/people/me/connections", params={"personFields": "names"}).status_code
        == 200
    )
    create = contacts.post("/v1/people:createContact", json={"names": [{"givenName": "X"}]})
    assert create.status_code == 403
    no_contacts = api(ann, [CALENDAR])
    assert (
        no_contacts.get("/v1/people/me/connections", params={"personFields": "names"}).status_code
        == 403
    )


def test_reader_calendar_is_not_writable(google: SandboxHandle, api: Api) -> None:
    account = google.create_account(
        ANN,
        calendars=[
            {"summary": "Team holidays", "accessRole": "reader"},
            {"summary": "Shared bookings", "accessRole": "writer"},
        ],
    )
    roles = {entry["summary"]: entry for entry in account["calendars"]}
    assert roles["Team holidays"]["accessRole"] == "reader"
    client = api(ANN, [CALENDAR])
    listing = client.get("/calendar/v3/users/me/calendarList").json()["items"]
    assert {item["summary"]: item["accessRole"] for item in listing} == {
        ANN: "owner",
        "Team holidays": "reader",
        "Shared bookings": "writer",
    }
    assert [item.get("primary") for item in listing].count(True) == 1
    reader_id = roles["Team holidays"]["id"]
    refused = client.post(f"/calendar/v3/calendars/{reader_id}/events", json=timed(2, 9))
    assert refused.status_code == 403
    assert error_of(refused)["errors"][0]["reason"] == "requiredAccessLevel"
    assert client.get(f"/calendar/v3/calendars/{reader_id}/events").status_code == 200
    writer_id = roles["Shared bookings"]["id"]
    assert (
        client.post(f"/calendar/v3/calendars/{writer_id}/events", json=timed(2, 9)).status_code
        == 200
    )
    writable = client.get(
        "/calendar/v3/users/me/calendarList", params={"minAccessRole": "writer"}
    ).json()["items"]
    assert {item["summary"] for item in writable} == {ANN, "Shared bookings"}


def test_other_accounts_calendars_are_not_found(google: SandboxHandle, api: Api) -> None:
    google.create_account(ANN)
    google.create_account(BOB)
    response = api(ANN, [CALENDAR]).get(f"/calendar/v3/calendars/{BOB}/events")
    assert response.status_code == 404
    assert error_of(response)["errors"][0]["reason"] == "notFound"
    google.share_calendar(BOB, ANN, "reader")
    assert api(ANN, [CALENDAR]).get(f"/calendar/v3/calendars/{BOB}/events").status_code == 200
