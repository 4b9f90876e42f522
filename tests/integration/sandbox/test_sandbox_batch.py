"""Batch: googleapiclient's BatchHttpRequest against /batch/calendar/v3, limits and counting."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
from googleapiclient.errors import HttpError
from sandbox_helpers import ANN, CALENDAR, timed

from studiosync.sandbox.testing import SandboxHandle

Api = Callable[..., httpx.Client]


def test_batch_http_request_inserts_and_reports_each_call(
    google: SandboxHandle, calendar: Any
) -> None:
    results: dict[str, Any] = {}

    def done(request_id: str, response: Any, error: HttpError | None) -> None:
        results[request_id] = error if error is not None else response

    batch = calendar.new_batch_http_request(callback=done)
    assert batch._batch_uri == google.base_url + "/batch/calendar/v3"
    for n in range(10):
        batch.add(
            calendar.events().insert(
                calendarId="primary",
                body={"id": f"batchevent{n:03d}", "summary": f"Batch {n}", **timed(1 + n, 9)},
            ),
            request_id=f"insert-{n}",
        )
    batch.add(
        calendar.events().insert(calendarId="primary", body={"id": "batchevent000", **timed(1, 9)}),
        request_id="duplicate",
    )
    google.clear_stats()
    batch.execute()
    assert {key for key, value in results.items() if isinstance(value, dict)} == {
        f"insert-{n}" for n in range(10)
    }
    duplicate = results["duplicate"]
    assert isinstance(duplicate, HttpError) and duplicate.resp.status == 409
    assert google.count("POST", "/batch/calendar/v3") == 1
    assert google.count("POST", "/calendar/v3/calendars/{calendarId}/events", 200) == 10
    assert google.count("POST", "/calendar/v3/calendars/{calendarId}/events", 409) == 1
    listed = calendar.events().list(calendarId="primary").execute()["items"]
    assert len(listed) == 10


def test_batch_mixes_reads_updates_and_deletes(calendar: Any) -> None:
    created = (
        calendar.events()
        .insert(calendarId="primary", body={"summary": "Ä café shoot", **timed(2, 9)})
        .execute()
    )
    seen: dict[str, Any] = {}
    batch = calendar.new_batch_http_request(
        callback=lambda rid, resp, err: seen.__setitem__(rid, err or resp)
    )
    batch.add(calendar.events().get(calendarId="primary", eventId=created["id"]), request_id="g")
    batch.add(
        calendar.events().patch(
            calendarId="primary", eventId=created["id"], body={"description": "naïve"}
        ),
        request_id="p",
    )
    batch.add(calendar.calendarList().list(), request_id="l")
    batch.execute()
    assert seen["g"]["summary"] == "Ä café shoot"
    assert seen["p"]["description"] == "naïve"
    assert seen["l"]["items"][0]["id"] == ANN


def raw_batch(count: int, token: str) -> tuple[str, bytes]:
    boundary = "===============boundary=="
    parts = []
    for n in range(count):
        parts.append(
            f"--{boundary}\r\nContent-Type: application/http\r\nContent-ID: <item{n}>\r\n\r\n"
            f"GET /calendar/v3/users/me/calendarList HTTP/1.1\r\n"
            f"Authorization: Bearer {token}\r\n\r\n"
        )
    body = "".join(parts) + f"--{boundary}--\r\n"
    return f'multipart/mixed; boundary="{boundary}"', body.encode()


def test_more_than_1000_calls_are_refused(google: SandboxHandle, ann: str) -> None:
    token = google.issue_tokens(ann, [CALENDAR])["access_token"]
    with httpx.Client(base_url=google.base_url, timeout=60) as client:
        content_type, body = raw_batch(1001, token)
        refused = client.post(
            "/batch/calendar/v3", content=body, headers={"Content-Type": content_type}
        )
        assert refused.status_code == 400
        assert json.loads(refused.content)["error"]["code"] == 400
        content_type, body = raw_batch(3, token)
        accepted = client.post(
            "/batch/calendar/v3", content=body, headers={"Content-Type": content_type}
        )
    assert accepted.status_code == 200
    assert accepted.headers["content-type"].startswith("multipart/mixed; boundary=")
    assert accepted.text.count("Content-ID: <response-item") == 3
    assert accepted.text.count("HTTP/1.1 200 OK") == 3


def test_batch_calls_are_authorised_one_by_one(google: SandboxHandle, ann: str) -> None:
    with httpx.Client(base_url=google.base_url) as client:
        content_type, body = raw_batch(2, "ya29.dead")
        answer = client.post(
            "/batch/calendar/v3", content=body, headers={"Content-Type": content_type}
        )
    assert answer.status_code == 200
    assert answer.text.count("HTTP/1.1 401 Unauthorized") == 2


def test_calendar_batch_refuses_other_apis_and_non_multipart(
    google: SandboxHandle, ann: str
) -> None:
    token = google.issue_tokens(ann, [CALENDAR])["access_token"]
    body = (
        "--b\r\nContent-Type: application/http\r\nContent-ID: <x>\r\n\r\n"
        "GET /v1/people/me/connections?personFields=names HTTP/1.1\r\n"
        f"Authorization: Bearer {token}\r\n\r\n--b--\r\n"
    )
    with httpx.Client(base_url=google.base_url) as client:
        answer = client.post(
            "/batch/calendar/v3",
            content=body.encode(),
            headers={"Content-Type": "multipart/mixed; boundary=b"},
        )
        assert "HTTP/1.1 400 Bad Request" in answer.text
        plain = client.post("/batch/calendar/v3", json={})
        assert plain.status_code == 400


def test_people_batch_path_runs_people_calls(google: SandboxHandle, ann: str) -> None:
    people = google.people_service(ann)
    answers: list[Any] = []
    batch = people.new_batch_http_request(
        callback=lambda rid, resp, err: answers.append(err or resp)
    )
    assert batch._batch_uri == google.base_url + "/batch"
    batch.add(people.people().createContact(body={"names": [{"givenName": "Batch"}]}))
    batch.add(people.people().connections().list(resourceName="people/me", personFields="names"))
    batch.execute()
    assert answers[0]["resourceName"].startswith("people/c")
