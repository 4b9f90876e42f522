"""Quotas over a sliding minute and injected faults: statuses, dropped connections, delays."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from sandbox_helpers import ANN, BOB, CALENDAR, CONTACTS, error_of, timed

from studiosync.sandbox.testing import SandboxHandle

Api = Callable[..., httpx.Client]
LIST = "/calendar/v3/users/me/calendarList"


def test_per_user_quota_answers_403_user_rate_limit(google: SandboxHandle, api: Api) -> None:
    google.create_account(ANN)
    google.create_account(BOB)
    google.configure(quota_user_per_minute=5)
    ann, bob = api(ANN, [CALENDAR]), api(BOB, [CALENDAR])
    assert [ann.get(LIST).status_code for _ in range(5)] == [200] * 5
    limited = ann.get(LIST)
    assert limited.status_code == 403
    assert error_of(limited)["errors"][0] == {
        "domain": "usageLimits",
        "reason": "userRateLimitExceeded",
        "message": "User Rate Limit Exceeded",
    }
    assert bob.get(LIST).status_code == 200
    google.advance_clock(61)
    assert ann.get(LIST).status_code == 200


def test_per_project_quota_and_429_mode(google: SandboxHandle, api: Api) -> None:
    google.create_account(ANN)
    google.create_account(BOB)
    google.configure(quota_project_per_minute=4)
    ann, bob = api(ANN, [CALENDAR]), api(BOB, [CALENDAR])
    statuses = [client.get(LIST).status_code for client in (ann, bob, ann, bob, ann)]
    assert statuses == [200, 200, 200, 200, 403]
    assert error_of(bob.get(LIST))["errors"][0]["reason"] == "rateLimitExceeded"
    google.configure(quota_status=429)
    too_many = ann.get(LIST)
    assert too_many.status_code == 429
    assert error_of(too_many)["status"] == "RESOURCE_EXHAUSTED"


def test_batch_calls_count_against_the_quota(google: SandboxHandle, calendar: Any) -> None:
    google.configure(quota_user_per_minute=3)
    outcomes: list[Any] = []
    batch = calendar.new_batch_http_request(callback=lambda rid, resp, err: outcomes.append(err))
    for n in range(5):
        batch.add(calendar.events().insert(calendarId="primary", body=timed(1 + n, 9)))
    batch.execute()
    statuses = [None if err is None else err.resp.status for err in outcomes]
    assert statuses == [None, None, None, 403, 403]


def test_daily_limit_answers_403_quota_exceeded(google: SandboxHandle, api: Api) -> None:
    google.create_account(ANN)
    client = api(ANN, [CALENDAR, CONTACTS])
    google.set_daily_limit_exceeded(ANN)
    refused = client.get(LIST)
    assert refused.status_code == 403
    assert error_of(refused)["errors"][0] == {
        "domain": "usageLimits",
        "reason": "quotaExceeded",
        "message": "Calendar usage limits exceeded.",
    }
    people = client.get("/v1/people/me/connections", params={"personFields": "names"})
    assert people.status_code == 429
    google.set_daily_limit_exceeded(ANN, exceeded=False)
    assert client.get(LIST).status_code == 200


def test_status_fault_fires_count_times(google: SandboxHandle, api: Api) -> None:
    google.create_account(ANN)
    client = api(ANN, [CALENDAR])
    google.add_fault(path="/calendar/v3/*", status=503, count=2)
    answers = [client.get(LIST) for _ in range(3)]
    assert [a.status_code for a in answers] == [503, 503, 200]
    assert error_of(answers[0])["errors"][0]["reason"] == "backendError"
    assert google.count("GET", LIST, 503) == 2


def test_reason_fault_uses_usage_limits_shape(google: SandboxHandle, api: Api) -> None:
    google.create_account(ANN)
    client = api(ANN, [CALENDAR])
    google.add_fault(
        path="/calendar/v3/calendars/*/events",
        method="POST",
        status=403,
        reason="rateLimitExceeded",
    )
    assert client.get("/calendar/v3/calendars/primary/events").status_code == 200
    refused = client.post("/calendar/v3/calendars/primary/events", json=timed(1, 9))
    assert refused.status_code == 403
    assert error_of(refused)["errors"][0]["domain"] == "usageLimits"
    assert error_of(refused)["errors"][0]["reason"] == "rateLimitExceeded"
    google.clear_faults()
    assert client.post("/calendar/v3/calendars/primary/events", json=timed(1, 9)).status_code == 200


def test_drop_connection_fault_resets_the_connection(google: SandboxHandle, api: Api) -> None:
    google.create_account(ANN)
    client = api(ANN, [CALENDAR])
    google.add_fault(path=LIST, drop_connection=True, count=1)
    with pytest.raises(httpx.TransportError):
        client.get(LIST)
    assert client.get(LIST).status_code == 200
    assert google.count("GET", LIST, 0) == 1


def test_drop_connection_through_google_api_client(google: SandboxHandle, calendar: Any) -> None:
    import httplib2

    google.add_fault(path="/calendar/v3/*", drop_connection=True, count=1)
    assert calendar.calendarList().list().execute()["items"]  # httplib2 retries one reset
    google.add_fault(path="/calendar/v3/*", drop_connection=True, count=2)
    with pytest.raises((ConnectionError, httplib2.HttpLib2Error, OSError)):
        calendar.calendarList().list().execute()
    assert calendar.calendarList().list().execute()["items"]
    assert google.count("GET", LIST, 0) == 3


def test_probability_zero_never_fires_and_one_always(google: SandboxHandle, api: Api) -> None:
    google.create_account(ANN)
    client = api(ANN, [CALENDAR])
    google.add_fault(path=LIST, status=500, probability=0.0)
    assert all(client.get(LIST).status_code == 200 for _ in range(10))
    google.clear_faults()
    google.add_fault(path=LIST, status=500, probability=1.0)
    assert client.get(LIST).status_code == 500


def test_delay_fault_delays_then_answers(google: SandboxHandle, api: Api) -> None:
    google.create_account(ANN)
    client = api(ANN, [CALENDAR])
    google.add_fault(path=LIST, delay_ms=300, count=1)
    started = time.monotonic()
    assert client.get(LIST).status_code == 200
    assert time.monotonic() - started >= 0.3
    started = time.monotonic()
    client.get(LIST)
    assert time.monotonic() - started < 0.3


def test_faults_hit_batch_calls_one_by_one(google: SandboxHandle, calendar: Any) -> None:
    google.add_fault(path="/calendar/v3/calendars/*/events", method="POST", status=503, count=1)
    outcomes: list[Any] = []
    batch = calendar.new_batch_http_request(callback=lambda rid, resp, err: outcomes.append(err))
    for n in range(3):
        batch.add(calendar.events().insert(calendarId="primary", body=timed(1 + n, 9)))
    batch.execute()
    assert [None if e is None else e.resp.status for e in outcomes] == [503, None, None]


def test_bad_fault_specs_are_refused(google: SandboxHandle) -> None:
    for spec in (
        {},
        {"status": 503, "colour": "red"},
        {"status": 503, "probability": 2},
        {"status": "503"},
        {"status": 200},
        {"delay_ms": True},
    ):
        response = google.http.post("/_sandbox/faults", json=spec)
        assert response.status_code == 400, spec
    listed = google.http.get("/_sandbox/faults").json()["faults"]
    assert listed == []


def test_stats_count_by_method_template_and_status(google: SandboxHandle, api: Api) -> None:
    google.create_account(ANN)
    client = api(ANN, [CALENDAR])
    google.clear_stats()
    client.get("/calendar/v3/calendars/primary/events")
    client.get(f"/calendar/v3/calendars/{ANN}/events")
    client.get("/calendar/v3/calendars/primary/events/nosuchevent1")
    stats = google.stats()
    assert stats["total"] == 3
    rows = {(r["method"], r["path"], r["status"]): r["count"] for r in stats["requests"]}
    assert rows == {
        ("GET", "/calendar/v3/calendars/{calendarId}/events", 200): 2,
        ("GET", "/calendar/v3/calendars/{calendarId}/events/{eventId}", 404): 1,
    }
    assert json.dumps(stats)  # plain JSON for benchmarks
