"""Incremental sync: pages, nextSyncToken on the last page only, stubs, 410 and full resync."""

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
STUB_KEYS = {"kind", "etag", "id", "status"}


def sync_pages(
    calendar: Any, sync_token: str | None = None, **params: Any
) -> tuple[list[dict[str, Any]], str, int]:
    """Follow every page of one listing; check where the tokens appear; return items, token."""
    items: list[dict[str, Any]] = []
    page_token = None
    pages = 0
    while True:
        query = dict(params)
        if sync_token:
            query["syncToken"] = sync_token
        if page_token:
            query["pageToken"] = page_token
        page = calendar.events().list(calendarId="primary", **query).execute()
        pages += 1
        items.extend(page.get("items", []))
        page_token = page.get("nextPageToken")
        if page_token:
            assert "nextSyncToken" not in page
            continue
        assert "nextSyncToken" in page
        return items, page["nextSyncToken"], pages


def insert_many(calendar: Any, count: int, prefix: str = "evt") -> list[dict[str, Any]]:
    return [
        calendar.events()
        .insert(
            calendarId="primary", body={"summary": f"{prefix} {n}", **timed(1 + n % 20, 8 + n % 8)}
        )
        .execute()
        for n in range(count)
    ]


def test_full_then_incremental_sync_loop(calendar: Any) -> None:
    created = insert_many(calendar, 7)
    items, token, pages = sync_pages(calendar, maxResults=3)
    assert pages == 3
    assert sorted(item["id"] for item in items) == sorted(e["id"] for e in created)
    nothing, token2, _ = sync_pages(calendar, token)
    assert nothing == []
    calendar.events().patch(
        calendarId="primary", eventId=created[0]["id"], body={"summary": "changed"}
    ).execute()
    calendar.events().delete(calendarId="primary", eventId=created[1]["id"]).execute()
    extra = insert_many(calendar, 1, "new")[0]
    changes, token3, _ = sync_pages(calendar, token2)
    by_id = {item["id"]: item for item in changes}
    assert set(by_id) == {created[0]["id"], created[1]["id"], extra["id"]}
    assert by_id[created[0]["id"]]["summary"] == "changed"
    stub = by_id[created[1]["id"]]
    assert set(stub) == STUB_KEYS and stub["status"] == "cancelled"
    again, _, _ = sync_pages(calendar, token3)
    assert again == []


def test_incremental_sync_pages_too(calendar: Any) -> None:
    _, token, _ = sync_pages(calendar)
    created = insert_many(calendar, 5)
    items, _, pages = sync_pages(calendar, token, maxResults=2)
    assert pages == 3
    assert [item["id"] for item in items] == [event["id"] for event in created]


def test_change_made_while_paging_is_not_lost(calendar: Any) -> None:
    created = insert_many(calendar, 4)
    first = calendar.events().list(calendarId="primary", maxResults=2).execute()
    late = insert_many(calendar, 1, "late")[0]
    rest, token, _ = sync_pages(calendar, pageToken=first["nextPageToken"], maxResults=2)
    seen = {item["id"] for item in first["items"] + rest}
    assert seen == {event["id"] for event in created}
    changes, _, _ = sync_pages(calendar, token)
    assert late["id"] in {item["id"] for item in changes}


@pytest.mark.parametrize(
    "param",
    [
        "iCalUID",
        "orderBy",
        "privateExtendedProperty",
        "q",
        "sharedExtendedProperty",
        "timeMin",
        "timeMax",
        "updatedMin",
    ],
)
def test_parameters_refused_with_a_sync_token(api: Api, ann: str, param: str) -> None:
    client = api(ann, [CALENDAR])
    token = client.get("/calendar/v3/calendars/primary/events").json()["nextSyncToken"]
    values = {
        "iCalUID": "x@google.com",
        "orderBy": "updated",
        "privateExtendedProperty": "a=b",
        "q": "x",
        "sharedExtendedProperty": "a=b",
        "timeMin": "2030-01-01T00:00:00Z",
        "timeMax": "2031-01-01T00:00:00Z",
        "updatedMin": "2030-01-01T00:00:00Z",
    }
    response = client.get(
        "/calendar/v3/calendars/primary/events", params={"syncToken": token, param: values[param]}
    )
    assert response.status_code == 400
    assert error_of(response)["errors"][0]["location"] == param


def test_expired_token_answers_410_then_full_resync_without_duplicates(
    google: SandboxHandle, calendar: Any
) -> None:
    created = insert_many(calendar, 4)
    local = {}
    items, token, _ = sync_pages(calendar)
    local.update({item["id"]: item for item in items})
    google.expire_sync_tokens()
    with pytest.raises(HttpError) as caught:
        calendar.events().list(calendarId="primary", syncToken=token).execute()
    assert caught.value.resp.status == 410
    error = json.loads(caught.value.content)["error"]
    assert error["errors"][0]["reason"] == "fullSyncRequired"
    assert error["errors"][0]["domain"] == "calendar"
    assert error["message"] == "Sync token is no longer valid, a full sync is required."
    local.clear()
    items, token, _ = sync_pages(calendar, maxResults=3)
    for item in items:
        assert item["id"] not in local
        local[item["id"]] = item
    assert set(local) == {event["id"] for event in created}
    assert sync_pages(calendar, token)[0] == []


def test_garbage_or_foreign_sync_tokens_answer_410(google: SandboxHandle, api: Api) -> None:
    google.create_account(ANN, calendars=[{"summary": "Second"}])
    client = api(ANN, [CALENDAR])
    second = next(
        c
        for c in client.get("/calendar/v3/users/me/calendarList").json()["items"]
        if not c.get("primary")
    )["id"]
    token = client.get("/calendar/v3/calendars/primary/events").json()["nextSyncToken"]
    assert (
        client.get(
            "/calendar/v3/calendars/primary/events", params={"syncToken": "1" + token}
        ).status_code
        == 410
    )
    assert (
        client.get(
            f"/calendar/v3/calendars/{second}/events", params={"syncToken": token}
        ).status_code
        == 410
    )
    assert (
        client.get(
            "/calendar/v3/calendars/primary/events", params={"pageToken": "garbage"}
        ).status_code
        == 400
    )


def test_sync_tokens_can_age_out(google: SandboxHandle, calendar: Any) -> None:
    google.configure(calendar_sync_token_ttl=3600)
    _, token, _ = sync_pages(calendar)
    google.advance_clock(3601)
    with pytest.raises(HttpError) as caught:
        calendar.events().list(calendarId="primary", syncToken=token).execute()
    assert caught.value.resp.status == 410


def test_updated_min_lists_changes_including_deletions(calendar: Any) -> None:
    kept, gone = insert_many(calendar, 2)
    calendar.events().delete(calendarId="primary", eventId=gone["id"]).execute()
    items = (
        calendar.events()
        .list(calendarId="primary", updatedMin="2000-01-01T00:00:00Z")
        .execute()["items"]
    )
    by_id = {item["id"]: item for item in items}
    assert by_id[gone["id"]]["status"] == "cancelled"
    assert by_id[kept["id"]]["status"] == "confirmed"


def test_max_results_is_capped_at_2500_and_must_be_positive(api: Api, ann: str) -> None:
    client = api(ann, [CALENDAR])
    assert (
        client.get("/calendar/v3/calendars/primary/events", params={"maxResults": 5000}).status_code
        == 200
    )
    assert (
        client.get("/calendar/v3/calendars/primary/events", params={"maxResults": 0}).status_code
        == 400
    )


def test_ragged_pages_still_converge(google: SandboxHandle, calendar: Any) -> None:
    created = insert_many(calendar, 12)
    google.configure(ragged_pages=True)
    items, token, pages = sync_pages(calendar, maxResults=4)
    assert sorted(item["id"] for item in items) == sorted(e["id"] for e in created)
    assert pages >= 3
    assert sync_pages(calendar, token)[0] == []


def test_single_events_sync_token_round_trip(calendar: Any) -> None:
    insert_many(calendar, 2)
    items, token, _ = sync_pages(calendar, singleEvents=True)
    assert len(items) == 2
    new = insert_many(calendar, 1, "new")[0]
    changes, _, _ = sync_pages(calendar, token, singleEvents=True)
    assert [item["id"] for item in changes] == [new["id"]]
