"""POST /_sandbox/accounts:bulk: many accounts with one shared password, all made or none."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from sandbox_helpers import CALENDAR
from test_sandbox_oauth import consent, redirected_params

from studiosync.sandbox.testing import SandboxHandle

PASSWORD = "shared secret"


def _bulk(google: SandboxHandle, body: object) -> httpx.Response:
    return google.http.post("/_sandbox/accounts:bulk", json=body)


def _emails(google: SandboxHandle) -> set[str]:
    return {account["email"] for account in google.admin("GET", "/accounts")["accounts"]}


def test_bulk_accounts_each_have_a_primary_calendar_and_the_shared_password(
    google: SandboxHandle,
) -> None:
    answer = _bulk(
        google,
        {
            "password": PASSWORD,
            "accounts": [
                {"email": "One@Example.com", "name": "One", "timeZone": "Europe/Paris"},
                {"email": "two@example.com"},
                {"email": "three@example.com"},
            ],
        },
    )
    assert answer.status_code == 201, answer.text
    made = ["one@example.com", "two@example.com", "three@example.com"]
    assert answer.json() == {"created": 3, "accounts": made}
    assert _emails(google) == set(made)

    calendar = google.calendar_service("one@example.com", [CALENDAR])
    [entry] = calendar.calendarList().list().execute()["items"]
    assert (entry["id"], entry["primary"], entry["accessRole"]) == (
        "one@example.com",
        True,
        "owner",
    )
    assert entry["timeZone"] == "Europe/Paris"

    with httpx.Client(base_url=google.base_url, follow_redirects=False) as browser:
        for email in ("two@example.com", "three@example.com"):  # one hash, every account
            assert "code" in redirected_params(consent(browser, email=email, password=PASSWORD))
        wrong = consent(browser, email="two@example.com", password="not it")
        assert wrong.status_code == 200 and "Wrong password" in wrong.text


def test_bulk_is_all_or_nothing(google: SandboxHandle) -> None:
    google.create_account("taken@example.com")
    clash = _bulk(
        google,
        {
            "password": PASSWORD,
            "accounts": [{"email": "new@example.com"}, {"email": "taken@example.com"}],
        },
    )
    assert clash.status_code == 409 and "taken@example.com" in clash.json()["error"]
    repeated = _bulk(
        google,
        {
            "password": PASSWORD,
            "accounts": [{"email": "a@example.com"}, {"email": "A@example.com"}],
        },
    )
    assert repeated.status_code == 409
    bad_zone = _bulk(
        google,
        {
            "password": PASSWORD,
            "accounts": [{"email": "b@example.com"}, {"email": "c@example.com", "timeZone": "X/Y"}],
        },
    )
    assert bad_zone.status_code == 400 and "X/Y" in bad_zone.json()["error"]
    assert _emails(google) == {"taken@example.com"}


@pytest.mark.parametrize(
    "body",
    [
        {"accounts": [{"email": "a@example.com"}]},
        {"password": "", "accounts": [{"email": "a@example.com"}]},
        {"password": PASSWORD, "accounts": []},
        {"password": PASSWORD, "accounts": "a@example.com"},
        {"password": PASSWORD, "accounts": ["a@example.com"]},
        {"password": PASSWORD, "accounts": [{"email": "not-an-email"}]},
        {"password": PASSWORD, "accounts": [{"email": f"u{n}@x.com"} for n in range(10_001)]},
    ],
)
def test_bulk_refuses_bad_bodies(google: SandboxHandle, body: object) -> None:
    answer = _bulk(google, body)
    assert answer.status_code == 400, answer.text
    assert "error" in answer.json()
    assert _emails(google) == set()


def test_bulk_answers_loopback_clients_only() -> None:
    from studiosync.sandbox.app import create_app

    async def bulk(client_address: tuple[str, int]) -> int:
        transport = httpx.ASGITransport(app=create_app(), client=client_address)
        async with httpx.AsyncClient(transport=transport, base_url="http://sandbox") as client:
            body = {"password": PASSWORD, "accounts": [{"email": "far@example.com"}]}
            return (await client.post("/_sandbox/accounts:bulk", json=body)).status_code

    assert asyncio.run(bulk(("192.0.2.7", 50000))) == 403
    assert asyncio.run(bulk(("127.0.0.1", 50000))) == 201
