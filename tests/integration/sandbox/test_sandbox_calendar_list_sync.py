"""calendarList.list sync tokens: changed and removed entries since the token, as Google sends."""

from __future__ import annotations

from typing import Any

import pytest
from googleapiclient.errors import HttpError
from sandbox_helpers import ANN, BOB, CALENDAR

from studiosync.sandbox.testing import SandboxHandle


def full_list(calendar: Any, **params: Any) -> tuple[list[dict[str, Any]], str]:
    items: list[dict[str, Any]] = []
    token = None
    while True:
        page = calendar.calendarList().list(pageToken=token, **params).execute()
        items += page["items"]
        token = page.get("nextPageToken")
        if not token:
            assert "nextSyncToken" in page
            return items, page["nextSyncToken"]
        assert "nextSyncToken" not in page


def test_sync_token_on_the_last_page_only(google: SandboxHandle, calendar: Any) -> None:
    for n in range(3):
        google.add_calendar(ANN, f"Extra {n}")
    items, _ = full_list(calendar, maxResults=2)
    assert len(items) == 4


def test_incremental_list_returns_changes_and_deleted_entries(
    google: SandboxHandle, calendar: Any
) -> None:
    google.create_account(BOB)
    team = google.add_calendar(ANN, "Team")
    gone = google.add_calendar(ANN, "Old")
    _, token = full_list(calendar)
    again = calendar.calendarList().list(syncToken=token).execute()
    assert again["items"] == []
    calendar.calendars().patch(calendarId=team["id"], body={"summary": "Team B"}).execute()
    calendar.calendars().delete(calendarId=gone["id"]).execute()
    bobs = google.add_calendar(BOB, "Bob's")
    google.share_calendar(bobs["id"], ANN, "reader")
    changes = calendar.calendarList().list(syncToken=again["nextSyncToken"]).execute()
    by_id = {item["id"]: item for item in changes["items"]}
    assert set(by_id) == {team["id"], gone["id"], bobs["id"]}
    assert by_id[team["id"]]["summary"] == "Team B"
    assert by_id[gone["id"]]["deleted"] is True
    assert by_id[bobs["id"]]["accessRole"] == "reader"
    quiet = calendar.calendarList().list(syncToken=changes["nextSyncToken"]).execute()
    assert quiet["items"] == []


def test_show_deleted_on_a_full_list(google: SandboxHandle, calendar: Any) -> None:
    old = google.add_calendar(ANN, "Old")
    calendar.calendars().delete(calendarId=old["id"]).execute()
    plain = [item["id"] for item in calendar.calendarList().list().execute()["items"]]
    assert plain == [ANN]
    shown = calendar.calendarList().list(showDeleted=True).execute()["items"]
    assert {item["id"]: item.get("deleted", False) for item in shown} == {
        ANN: False,
        old["id"]: True,
    }


def test_stale_or_mixed_tokens_are_refused(google: SandboxHandle, calendar: Any) -> None:
    _, token = full_list(calendar)
    with pytest.raises(HttpError) as mixed:
        calendar.calendarList().list(syncToken=token, minAccessRole="owner").execute()
    assert mixed.value.resp.status == 400
    google.expire_sync_tokens()
    with pytest.raises(HttpError) as stale:
        calendar.calendarList().list(syncToken=token).execute()
    assert stale.value.resp.status == 410
    assert "fullSyncRequired" in stale.value.content.decode()
    with pytest.raises(HttpError) as garbled:
        calendar.calendarList().list(syncToken="nonsense").execute()
    assert garbled.value.resp.status == 410


def test_another_accounts_changes_stay_out(google: SandboxHandle, calendar: Any) -> None:
    google.create_account(BOB)
    _, token = full_list(calendar)
    google.add_calendar(BOB, "Private")
    bob = google.calendar_service(BOB, [CALENDAR])
    assert len(bob.calendarList().list().execute()["items"]) == 2
    assert calendar.calendarList().list(syncToken=token).execute()["items"] == []
