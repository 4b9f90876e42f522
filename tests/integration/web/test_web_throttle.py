"""Guessing passwords is slowed down: per address, gently per login, across app processes."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from web_helpers import MAYA_PASSWORD, Browser, Seed, alerts

from studiosync.clock import FakeClock
from studiosync.context import Studio
from studiosync.web.app import create_app

GUESSER = "203.0.113.7"
OWNER = "198.51.100.20"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(dt.datetime.now(dt.UTC))


@pytest.fixture
def app(studio: Studio, seed: Seed, clock: FakeClock) -> FastAPI:
    return create_app(studio, clock=clock)


@pytest.fixture
def at(app: FastAPI) -> Iterator[dict[str, Browser]]:
    """A browser at each address, by name."""
    with (
        TestClient(app, client=(GUESSER, 40000)) as one,
        TestClient(app, client=(OWNER, 40001)) as two,
    ):
        yield {GUESSER: Browser(one), OWNER: Browser(two)}


def log_in(browser: Browser, password: str) -> httpx.Response:
    return browser.post("/login", {"login": "maya", "password": password})


def test_wrong_passwords_from_one_address_are_slowed_down_but_not_the_owner(
    at: dict[str, Browser], clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    guesser, owner = at[GUESSER], at[OWNER]
    caplog.set_level(logging.WARNING, logger="studiosync.web.logins")
    for attempt in range(5):
        assert log_in(guesser, f"guess-{attempt}").status_code == 401
    paused = log_in(guesser, MAYA_PASSWORD)  # even the right password waits
    assert paused.status_code == 429
    assert paused.headers["retry-after"] == "15"
    assert "Too many failed logins" in alerts(paused.text)
    assert "Try again in 15 seconds" in alerts(paused.text)

    clock.advance(seconds=2)  # the gentler wait for the login itself is over
    assert log_in(owner, MAYA_PASSWORD).status_code == 303
    still = log_in(guesser, "guess-5")
    assert still.status_code == 429 and still.headers["retry-after"] == "13"

    clock.advance(seconds=14)
    assert log_in(guesser, "guess-6").status_code == 401  # the 6th failure from there
    doubled = log_in(guesser, "guess-7")
    assert doubled.status_code == 429 and doubled.headers["retry-after"] == "30"

    warnings = [r.getMessage() for r in caplog.records if r.name == "studiosync.web.logins"]
    assert len(warnings) == 6  # one per failure checked, none for refused attempts
    assert warnings[0] == (
        f"Failed login as 'maya' from {GUESSER} (1 failure in a row from that address, "
        "1 failure for that login)."
    )
    assert f"logins from {GUESSER} must now wait 15 seconds" in warnings[4]
    assert f"logins from {GUESSER} must now wait 30 seconds" in warnings[5]
    assert not any("guess-" in text for text in warnings)  # never a password


def test_the_api_answers_429_in_json_with_retry_after(app: FastAPI, clock: FakeClock) -> None:
    with TestClient(app, client=(GUESSER, 40000)) as guesser:
        for attempt in range(5):
            wrong = {"login": "ada", "password": f"guess-{attempt}"}
            assert guesser.post("/api/token", json=wrong).status_code == 401
        answer = guesser.post("/api/token", json={"login": "maya", "password": MAYA_PASSWORD})
    assert answer.status_code == 429
    assert answer.headers["retry-after"] == "15"
    error = answer.json()["error"]
    assert error["code"] == "access.login_throttled"
    assert "from your address" in error["message"] and "15 seconds" in error["fix"]
    with TestClient(app, client=(OWNER, 40000)) as owner:
        right = owner.post("/api/token", json={"login": "maya", "password": MAYA_PASSWORD})
    assert right.status_code == 200


def test_a_login_guessed_from_many_addresses_waits_briefly_and_counts_hold_across_processes(
    studio: Studio, seed: Seed, clock: FakeClock
) -> None:
    apps = [create_app(studio, clock=clock), create_app(studio, clock=clock)]
    for number in range(5):  # five addresses, one guess each, spread over two app processes
        with TestClient(apps[number % 2], client=(f"192.0.2.{number + 1}", 1)) as guesser:
            guess = {"login": "MAYA", "password": "guess"}
            assert guesser.post("/api/token", json=guess).status_code == 401
    with TestClient(apps[1], client=(OWNER, 1)) as owner:
        right = {"login": "maya", "password": MAYA_PASSWORD}
        paused = owner.post("/api/token", json=right)
        assert paused.status_code == 429 and paused.headers["retry-after"] == "1"
        assert "for this login" in paused.json()["error"]["message"]
        clock.advance(seconds=1)
        assert owner.post("/api/token", json=right).status_code == 200
        clock.advance(seconds=1)
        # the right password cleared the login's count: one new failure does not pause it
        assert owner.post("/api/token", json={**right, "password": "typo"}).status_code == 401
        assert owner.post("/api/token", json=right).status_code == 200
