"""Logins end on the server: a cookie or token kept from before no longer works afterwards."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from web_helpers import ADMIN_PASSWORD, MAYA_PASSWORD, Api, Browser, Seed

from studiosync.clock import FakeClock
from studiosync.context import Studio
from studiosync.web.app import create_app
from studiosync.web.security import SESSION_COOKIE


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(dt.datetime.now(dt.UTC))


@pytest.fixture
def app(studio: Studio, seed: Seed, clock: FakeClock) -> FastAPI:
    return create_app(studio, clock=clock)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


def saved_cookie(browser: Browser) -> str:
    cookie = browser.client.cookies.get(SESSION_COOKIE)
    assert cookie
    return cookie


def works(app: FastAPI, cookie: str) -> bool:
    """Whether a browser that kept this cookie still sees a page instead of the login."""
    with TestClient(app, cookies={SESSION_COOKIE: cookie}) as thief:
        answer = thief.get("/appointments", follow_redirects=False)
    assert answer.status_code in (200, 303), answer.text
    return answer.status_code == 200


def test_a_cookie_kept_from_before_logging_out_no_longer_works(app: FastAPI, maya: Browser) -> None:
    kept = saved_cookie(maya)
    assert works(app, kept)
    assert maya.post("/logout").status_code == 303
    assert not works(app, kept)


def test_a_new_password_set_by_an_administrator_ends_the_users_logins(
    app: FastAPI, maya: Browser, admin: Browser, seed: Seed, client: TestClient
) -> None:
    kept = saved_cookie(maya)
    token = Api.logged_in(client, "maya", MAYA_PASSWORD)
    form = {"login": "maya", "display_name": "Maya Lindqvist", "role": "photographer"}
    answer = admin.post(
        f"/users/{seed.maya_id}/edit", {**form, "active": "on", "password": "fresh-pass-9"}
    )
    assert answer.status_code == 303, answer.text
    assert not works(app, kept)
    assert token.call("GET", "/api/me").status_code == 401
    assert works(app, saved_cookie(admin))  # the administrator's own login goes on


def test_deactivation_ends_logins_for_good_even_after_reactivation(
    app: FastAPI, maya: Browser, admin: Browser, seed: Seed, client: TestClient
) -> None:
    kept = saved_cookie(maya)
    token = Api.logged_in(client, "maya", MAYA_PASSWORD)
    assert admin.post(f"/users/{seed.maya_id}/deactivate").status_code == 303
    assert not works(app, kept)
    assert admin.post(f"/users/{seed.maya_id}/reactivate").status_code == 303
    assert not works(app, kept)
    answer = token.call("GET", "/api/me")
    assert answer.status_code == 401
    assert "ended" in answer.json()["error"]["message"]


def test_a_login_unused_for_the_idle_time_ends_and_says_why(
    app: FastAPI, maya: Browser, clock: FakeClock
) -> None:
    kept = saved_cookie(maya)
    clock.advance(hours=11)
    assert maya.get("/appointments").status_code == 200  # use keeps it alive
    clock.advance(hours=11)
    assert works(app, kept)
    clock.advance(hours=12, minutes=2)
    assert maya.get("/appointments").status_code == 303
    page = maya.get("/login")
    assert "You were logged out after 12 hours without activity" in page.text
    assert not works(app, kept)


def test_a_login_ends_after_the_longest_time_even_when_used(
    app: FastAPI, maya: Browser, clock: FakeClock
) -> None:
    kept = saved_cookie(maya)
    for _ in range(30):  # every 11 hours, for 13.75 days
        clock.advance(hours=11)
        assert maya.get("/appointments").status_code == 200
    clock.advance(hours=11)
    assert maya.get("/appointments").status_code == 303
    assert "a login lasts at most 14 days" in maya.get("/login").text
    assert not works(app, kept)


def test_api_tokens_can_be_revoked_and_time_out(client: TestClient, clock: FakeClock) -> None:
    maya = Api.logged_in(client, "maya", MAYA_PASSWORD)
    assert maya.call("DELETE", "/api/token").status_code == 204
    revoked = maya.call("GET", "/api/me")
    assert revoked.status_code == 401
    assert revoked.json()["error"]["code"] == "access.token_invalid"

    idle = Api.logged_in(client, "maya", MAYA_PASSWORD)
    busy = Api.logged_in(client, "ada", ADMIN_PASSWORD)
    for _ in range(11):
        clock.advance(hours=1, minutes=2)
        assert busy.call("GET", "/api/me").status_code == 200
    clock.advance(minutes=40)
    answer = idle.call("GET", "/api/me")
    assert answer.status_code == 401
    assert "it was not used for 12 hours" in answer.json()["error"]["message"]
    clock.advance(hours=1)
    older = busy.call("GET", "/api/me")
    assert older.status_code == 401
    assert "it is older than 12 hours" in older.json()["error"]["message"]
