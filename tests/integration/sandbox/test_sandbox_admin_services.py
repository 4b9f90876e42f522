"""The admin API's own contract, and the client-side service builders."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import httpx
import pytest
from google.oauth2.credentials import Credentials
from sandbox_helpers import ANN, CALENDAR

from studiosync.providers.google.services import (
    build_calendar,
    build_people,
    discovery_document,
    make_credentials,
    token_uri,
)
from studiosync.sandbox.testing import SandboxError, SandboxHandle


def test_services_default_to_real_google() -> None:
    credentials = Credentials(token="x")  # type: ignore[no-untyped-call]
    calendar = build_calendar(credentials)
    people = build_people(credentials)
    assert calendar._baseUrl == "https://www.googleapis.com/calendar/v3/"
    assert people._baseUrl == "https://people.googleapis.com/"
    assert (
        calendar.new_batch_http_request()._batch_uri
        == "https://www.googleapis.com/batch/calendar/v3"
    )
    assert token_uri() == "https://oauth2.googleapis.com/token"


def test_services_move_both_apis_and_batch_to_one_base_url() -> None:
    base = "http://127.0.0.1:8765"
    credentials = make_credentials(
        access_token="x", refresh_token="r", client_id="c", client_secret="s", base_url=base
    )
    assert credentials.token_uri == base + "/token"
    calendar = build_calendar(credentials, base + "/")
    people = build_people(credentials, base)
    assert calendar._baseUrl == base + "/calendar/v3/"
    assert people._baseUrl == base + "/"
    assert calendar.new_batch_http_request()._batch_uri == base + "/batch/calendar/v3"
    assert people.new_batch_http_request()._batch_uri == base + "/batch"
    assert discovery_document("calendar", "v3")["rootUrl"] == "https://www.googleapis.com/"
    with pytest.raises(LookupError):
        discovery_document("nosuchapi", "v9")


def test_account_creation_validates(google: SandboxHandle) -> None:
    google.create_account(ANN)
    with pytest.raises(SandboxError, match="409"):
        google.create_account(ANN)
    for spec in (
        {"email": "not-an-email", "password": "x"},
        {"email": "x@example.com"},
        {"email": "y@example.com", "password": "x", "timeZone": "Nowhere/City"},
        {
            "email": "z@example.com",
            "password": "x",
            "calendars": [{"summary": "A", "accessRole": "king"}],
        },
    ):
        assert google.http.post("/_sandbox/accounts", json=spec).status_code == 400, spec
    assert (
        google.http.post(
            "/_sandbox/accounts/nobody@example.com/tokens", json={"scopes": [CALENDAR]}
        ).status_code
        == 404
    )
    assert (
        google.http.post(f"/_sandbox/accounts/{ANN}/tokens", json={"scopes": ["drive"]}).status_code
        == 400
    )


def test_clock_can_be_moved_frozen_and_restored(google: SandboxHandle) -> None:
    google.set_clock(datetime(2031, 1, 2, 3, 4, 5, tzinfo=UTC), freeze=True)
    assert google.admin("GET", "/clock") == {"now": "2031-01-02T03:04:05.000Z", "frozen": True}
    google.advance_clock(60)
    assert google.admin("GET", "/clock")["now"] == "2031-01-02T03:05:05.000Z"
    google.real_clock()
    assert google.admin("GET", "/clock")["frozen"] is False
    assert (
        google.http.post("/_sandbox/clock", json={"now": "2031-01-02T03:04:05"}).status_code == 400
    )


def test_config_changes_at_run_time_and_reset_restores_it(google: SandboxHandle) -> None:
    assert google.configure(token_ttl=120)["token_ttl"] == 120
    for bad in (
        {"colour": 1},
        {"token_ttl": "long"},
        {"quota_status": 418},
        {"ragged_pages": "yes"},
        {"token_ttl": 60, "quota_user_per_minute": -1},
    ):
        assert google.http.post("/_sandbox/config", json=bad).status_code == 400, bad
    assert google.admin("GET", "/config")["token_ttl"] == 120
    assert google.admin("GET", "/config")["client_secret"] is None
    google.reset()
    assert google.admin("GET", "/config")["token_ttl"] == 3600


def test_reset_forgets_accounts_and_tokens(google: SandboxHandle) -> None:
    google.create_account(ANN)
    tokens = google.issue_tokens(ANN, [CALENDAR])
    google.reset()
    assert google.admin("GET", "/accounts") == {"accounts": []}
    answer = httpx.get(
        google.base_url + "/calendar/v3/users/me/calendarList",
        headers={"Authorization": f"Bearer {tokens['access_token']}"},
    )
    assert answer.status_code == 401


def test_unknown_paths_answer_google_style_404(google: SandboxHandle) -> None:
    answer = httpx.get(google.base_url + "/calendar/v3/nothing/here")
    assert answer.status_code == 404
    assert answer.json()["error"]["errors"][0]["reason"] == "notFound"
    assert httpx.get(google.base_url + "/_sandbox/nothing").status_code == 404
    assert google.admin("GET", "/health")["ok"] is True


def test_admin_api_refuses_clients_that_are_not_on_this_machine() -> None:
    from studiosync.sandbox.app import create_app

    async def health(client_address: tuple[str, int]) -> int:
        transport = httpx.ASGITransport(app=create_app(), client=client_address)
        async with httpx.AsyncClient(transport=transport, base_url="http://sandbox") as client:
            return (await client.get("/_sandbox/health")).status_code

    assert asyncio.run(health(("192.0.2.7", 50000))) == 403
    assert asyncio.run(health(("127.0.0.1", 50000))) == 200
