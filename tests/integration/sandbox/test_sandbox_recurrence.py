"""Recurring events: expansion, instance ids, EXDATE, moved and cancelled exceptions, sync."""

from __future__ import annotations

import json
from typing import Any

import pytest
from googleapiclient.errors import HttpError
from sandbox_helpers import timed

WEEKLY = {
    "summary": "Weekly class",
    "start": {"dateTime": "2030-03-05T10:00:00", "timeZone": "Europe/Berlin"},
    "end": {"dateTime": "2030-03-05T11:00:00", "timeZone": "Europe/Berlin"},
    "recurrence": ["RRULE:FREQ=WEEKLY;COUNT=5"],
}


def series(calendar: Any, **extra: Any) -> dict[str, Any]:
    created: dict[str, Any] = (
        calendar.events()
        .insert(calendarId="primary", body={"id": "classes0001", **WEEKLY, **extra})
        .execute()
    )
    return created


def instances(calendar: Any, event_id: str = "classes0001", **params: Any) -> list[Any]:
    items: list[Any] = (
        calendar.events()
        .instances(calendarId="primary", eventId=event_id, **params)
        .execute()["items"]
    )
    return items


def test_instances_have_google_ids_and_keep_wall_time_across_dst(calendar: Any) -> None:
    master = series(calendar)
    assert master["recurrence"] == ["RRULE:FREQ=WEEKLY;COUNT=5"]
    found = instances(calendar)
    assert [item["id"] for item in found] == [
        "classes0001_20300305T090000Z",
        "classes0001_20300312T090000Z",
        "classes0001_20300319T090000Z",
        "classes0001_20300326T090000Z",
        "classes0001_20300402T080000Z",  # after the switch to summer time: still 10:00 local
    ]
    last = found[-1]
    assert last["start"] == {"dateTime": "2030-04-02T10:00:00+02:00", "timeZone": "Europe/Berlin"}
    assert last["recurringEventId"] == "classes0001"
    assert last["originalStartTime"] == last["start"]
    assert "recurrence" not in last
    assert last["iCalUID"] == master["iCalUID"]


def test_single_events_expands_and_exdate_removes(calendar: Any) -> None:
    series(
        calendar,
        recurrence=["RRULE:FREQ=WEEKLY;COUNT=5", "EXDATE;TZID=Europe/Berlin:20300312T100000"],
    )
    items = (
        calendar.events()
        .list(calendarId="primary", singleEvents=True, orderBy="startTime")
        .execute()["items"]
    )
    assert len(items) == 4
    assert "classes0001_20300312T090000Z" not in {item["id"] for item in items}
    plain = calendar.events().list(calendarId="primary").execute()["items"]
    assert [item["id"] for item in plain] == ["classes0001"]


def test_all_day_series_use_date_suffixes(calendar: Any) -> None:
    calendar.events().insert(
        calendarId="primary",
        body={
            "id": "bdate00001",
            "summary": "Studio birthday",
            "start": {"date": "2030-01-10"},
            "end": {"date": "2030-01-11"},
            "recurrence": ["RRULE:FREQ=YEARLY;COUNT=3"],
        },
    ).execute()
    found = instances(calendar, "bdate00001")
    assert [item["id"] for item in found] == [
        "bdate00001_20300110",
        "bdate00001_20310110",
        "bdate00001_20320110",
    ]
    assert found[1]["start"] == {"date": "2031-01-10"} and found[1]["end"] == {"date": "2031-01-11"}
    assert found[1]["originalStartTime"] == {"date": "2031-01-10"}


def test_moved_instance_becomes_an_exception(calendar: Any) -> None:
    series(calendar)
    instance = (
        calendar.events()
        .get(calendarId="primary", eventId="classes0001_20300319T090000Z")
        .execute()
    )
    moved = (
        calendar.events()
        .update(
            calendarId="primary",
            eventId=instance["id"],
            body={
                **instance,
                "summary": "Moved class",
                "start": {"dateTime": "2030-03-20T15:00:00+01:00", "timeZone": "Europe/Berlin"},
                "end": {"dateTime": "2030-03-20T16:00:00+01:00", "timeZone": "Europe/Berlin"},
            },
        )
        .execute()
    )
    assert moved["id"] == "classes0001_20300319T090000Z"
    assert moved["recurringEventId"] == "classes0001"
    assert moved["originalStartTime"]["dateTime"] == "2030-03-19T10:00:00+01:00"
    found = {item["id"]: item for item in instances(calendar)}
    assert found[moved["id"]]["summary"] == "Moved class"
    assert found[moved["id"]]["start"]["dateTime"] == "2030-03-20T15:00:00+01:00"
    plain = calendar.events().list(calendarId="primary").execute()["items"]
    assert {item["id"] for item in plain} == {"classes0001", moved["id"]}


def test_cancelled_instance_is_a_stub_in_sync_and_gone_from_single_events(calendar: Any) -> None:
    series(calendar)
    token = calendar.events().list(calendarId="primary").execute()["nextSyncToken"]
    calendar.events().delete(calendarId="primary", eventId="classes0001_20300312T090000Z").execute()
    changes = calendar.events().list(calendarId="primary", syncToken=token).execute()["items"]
    assert len(changes) == 1
    stub = changes[0]
    assert set(stub) == {"kind", "etag", "id", "status", "recurringEventId", "originalStartTime"}
    assert stub["status"] == "cancelled" and stub["recurringEventId"] == "classes0001"
    assert stub["originalStartTime"]["dateTime"] == "2030-03-12T10:00:00+01:00"
    items = calendar.events().list(calendarId="primary", singleEvents=True).execute()["items"]
    assert len(items) == 4
    assert len(instances(calendar)) == 4
    assert len(instances(calendar, showDeleted=True)) == 5
    with pytest.raises(HttpError) as caught:
        calendar.events().delete(
            calendarId="primary", eventId="classes0001_20300312T090000Z"
        ).execute()
    assert caught.value.resp.status == 410


def test_deleting_the_series_cancels_it_and_its_exceptions(calendar: Any) -> None:
    series(calendar)
    calendar.events().patch(
        calendarId="primary", eventId="classes0001_20300305T090000Z", body={"summary": "First one"}
    ).execute()
    token = calendar.events().list(calendarId="primary").execute()["nextSyncToken"]
    calendar.events().delete(calendarId="primary", eventId="classes0001").execute()
    changes = calendar.events().list(calendarId="primary", syncToken=token).execute()["items"]
    assert {item["id"]: item["status"] for item in changes} == {
        "classes0001": "cancelled",
        "classes0001_20300305T090000Z": "cancelled",
    }
    assert calendar.events().list(calendarId="primary", singleEvents=True).execute()["items"] == []


def test_instance_ids_outside_the_series_are_404(calendar: Any) -> None:
    series(calendar)
    for event_id in ("classes0001_20300306T090000Z", "classes0001_20300305"):
        with pytest.raises(HttpError) as caught:
            calendar.events().get(calendarId="primary", eventId=event_id).execute()
        assert caught.value.resp.status == 404


@pytest.mark.parametrize(
    "body",
    [
        {
            **WEEKLY,
            "start": {"dateTime": "2030-03-05T10:00:00Z"},
            "end": {"dateTime": "2030-03-05T11:00:00Z"},
        },
        {**WEEKLY, "recurrence": ["RRULE:FREQ=SOMETIMES"]},
        {**WEEKLY, "recurrence": ["NOT A RULE"]},
    ],
)
def test_bad_recurring_events_are_refused(calendar: Any, body: dict[str, Any]) -> None:
    with pytest.raises(HttpError) as caught:
        calendar.events().insert(calendarId="primary", body=body).execute()
    assert caught.value.resp.status == 400
    assert json.loads(caught.value.content)["error"]["errors"][0]["reason"] in (
        "invalid",
        "required",
    )


def test_infinite_series_expand_within_time_window(calendar: Any) -> None:
    calendar.events().insert(
        calendarId="primary",
        body={**WEEKLY, "id": "forever00001", "recurrence": ["RRULE:FREQ=DAILY"]},
    ).execute()
    items = (
        calendar.events()
        .list(
            calendarId="primary",
            singleEvents=True,
            timeMin="2031-01-01T00:00:00Z",
            timeMax="2031-01-08T00:00:00Z",
        )
        .execute()["items"]
    )
    assert next(item["id"] for item in items) == "forever00001_20310101T090000Z"
    assert len(items) == 7
    page = (
        calendar.events()
        .instances(calendarId="primary", eventId="forever00001", maxResults=10)
        .execute()
    )
    assert len(page["items"]) == 10 and "nextPageToken" in page
    following = (
        calendar.events()
        .instances(
            calendarId="primary",
            eventId="forever00001",
            maxResults=10,
            pageToken=page["nextPageToken"],
        )
        .execute()
    )
    assert following["items"][0]["id"] == "forever00001_20300315T090000Z"


def listed(calendar: Any, **params: Any) -> dict[str, str]:
    items = calendar.events().list(calendarId="primary", **params).execute()["items"]
    return {item["id"]: item["status"] for item in items}


def test_cancelled_instances_follow_show_deleted_and_single_events(calendar: Any) -> None:
    series(calendar)
    one_off = (
        calendar.events()
        .insert(calendarId="primary", body={"summary": "One-off", **timed(3, 10)})
        .execute()
    )
    calendar.events().delete(calendarId="primary", eventId=one_off["id"]).execute()
    calendar.events().delete(calendarId="primary", eventId="classes0001_20300312T090000Z").execute()
    cancelled = "classes0001_20300312T090000Z"
    # neither: the series and its cancelled instance, not the deleted one-off event
    assert listed(calendar) == {"classes0001": "confirmed", cancelled: "cancelled"}
    # showDeleted alone: everything
    assert listed(calendar, showDeleted=True) == {
        "classes0001": "confirmed",
        cancelled: "cancelled",
        one_off["id"]: "cancelled",
    }
    # singleEvents alone: live instances only
    assert "cancelled" not in listed(calendar, singleEvents=True).values()
    # both: live instances plus the deleted single instances
    both = listed(calendar, singleEvents=True, showDeleted=True)
    assert both[cancelled] == "cancelled" and both[one_off["id"]] == "cancelled"
    assert len(both) == 6


def test_a_deleted_series_is_left_out_with_both_flags(calendar: Any) -> None:
    series(calendar)
    calendar.events().delete(calendarId="primary", eventId="classes0001").execute()
    assert listed(calendar) == {}
    assert listed(calendar, showDeleted=True) == {"classes0001": "cancelled"}
    assert listed(calendar, singleEvents=True, showDeleted=True) == {}


def test_a_sync_over_a_new_series_and_its_exceptions_lists_each_instance_once(
    calendar: Any,
) -> None:
    token = calendar.events().list(calendarId="primary").execute()["nextSyncToken"]
    series(calendar)
    calendar.events().patch(
        calendarId="primary",
        eventId="classes0001_20300312T090000Z",
        body={
            "summary": "Moved class",
            "start": {"dateTime": "2030-03-12T15:00:00+01:00"},
            "end": {"dateTime": "2030-03-12T16:00:00+01:00"},
        },
    ).execute()
    calendar.events().delete(calendarId="primary", eventId="classes0001_20300319T090000Z").execute()
    items = (
        calendar.events()
        .list(calendarId="primary", syncToken=token, singleEvents=True, maxResults=2)
        .execute()
    )
    found = list(items["items"])
    while "nextPageToken" in items:
        items = (
            calendar.events()
            .list(
                calendarId="primary",
                syncToken=token,
                singleEvents=True,
                maxResults=2,
                pageToken=items["nextPageToken"],
            )
            .execute()
        )
        found += items["items"]
    ids = [item["id"] for item in found]
    assert sorted(ids) == sorted(set(ids)) and len(ids) == 5
    by_id = {item["id"]: item for item in found}
    assert by_id["classes0001_20300312T090000Z"]["summary"] == "Moved class"
    assert by_id["classes0001_20300319T090000Z"]["status"] == "cancelled"
