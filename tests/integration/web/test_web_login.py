"""Logging in and out of the pages: passwords, inactive users, the cookie, CSRF on every form."""

from __future__ import annotations

from http.cookies import SimpleCookie

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from web_helpers import ADMIN_PASSWORD, MAYA_PASSWORD, Browser, Seed, alerts

from studiosync.context import Studio
from studiosync.crypto import load_or_create_key
from studiosync.studio.models import Resource, User
from studiosync.studio.people import update_user
from studiosync.web.security import SESSION_COOKIE, WebKeys


def test_every_page_asks_for_a_login_first(browser: Browser) -> None:
    answer = browser.get("/appointments?week=2026-05-04")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/login?next=/appointments%3Fweek%3D2026-05-04"
    assert browser.get("/login").status_code == 200


def test_logging_in_goes_back_to_the_page_asked_for(browser: Browser) -> None:
    answer = browser.post(
        "/login", {"login": "maya", "password": MAYA_PASSWORD, "next": "/preferences/google"}
    )
    assert answer.status_code == 303
    assert answer.headers["location"] == "/preferences/google"
    page = browser.get("/preferences/google")
    assert page.status_code == 200
    assert "My Google tab" in page.text
    assert "Maya Lindqvist" in page.text


def test_login_never_sends_people_to_another_site(browser: Browser) -> None:
    for target in ("https://evil.example/", "//evil.example/x", "/\\evil.example"):
        answer = browser.post(
            "/login", {"login": "maya", "password": MAYA_PASSWORD, "next": target}
        )
        assert answer.headers["location"] == "/", target


def test_a_wrong_password_is_refused_in_words(browser: Browser) -> None:
    answer = browser.post("/login", {"login": "maya", "password": "not-it"})
    assert answer.status_code == 401
    assert "Login failed" in alerts(answer.text)
    assert "do not match an active user" in alerts(answer.text)
    assert browser.get("/appointments").status_code == 303


def test_an_unknown_login_gets_the_same_answer_as_a_wrong_password(browser: Browser) -> None:
    unknown = browser.post("/login", {"login": "nobody", "password": "x"})
    wrong = browser.post("/login", {"login": "maya", "password": "x"})
    assert unknown.status_code == wrong.status_code == 401
    assert alerts(unknown.text) == alerts(wrong.text)


def test_inactive_users_cannot_log_in(browser: Browser, studio: Studio, seed: Seed) -> None:
    with studio.transaction() as session:
        update_user(session, seed.maya_id, active=False)
    answer = browser.post("/login", {"login": "maya", "password": MAYA_PASSWORD})
    assert answer.status_code == 401
    assert "do not match an active user" in alerts(answer.text)


def test_deactivating_a_user_ends_their_open_session(
    maya: Browser, studio: Studio, seed: Seed
) -> None:
    assert maya.get("/appointments").status_code == 200
    with studio.transaction() as session:
        update_user(session, seed.maya_id, active=False)
    assert maya.get("/appointments").status_code == 303


def test_changing_the_password_ends_other_sessions(
    maya: Browser, studio: Studio, seed: Seed
) -> None:
    with studio.transaction() as session:
        update_user(session, seed.maya_id, password="a-new-password-2")
    assert maya.get("/appointments").status_code == 303


def test_log_out_ends_the_session(maya: Browser) -> None:
    answer = maya.post("/logout")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/login"
    assert "You are logged out." in maya.get("/login").text
    assert maya.get("/appointments").status_code == 303


def test_the_session_cookie_is_signed_httponly_and_lax(browser: Browser, studio: Studio) -> None:
    answer = browser.login("ada", ADMIN_PASSWORD)
    header = next(value for name, value in answer.headers.multi_items() if name == "set-cookie")
    cookie = SimpleCookie()
    cookie.load(header)
    morsel = cookie[SESSION_COOKIE]
    assert morsel["httponly"] is True
    assert morsel["samesite"].lower() == "lax"
    key = load_or_create_key(studio.settings.secret_key_path, studio.settings.secret_key)
    keys = WebKeys.from_settings(studio.settings)
    assert keys.session.encode() != key and key.decode() not in keys.session
    assert ADMIN_PASSWORD not in header


def test_a_cookie_signed_with_another_key_is_not_a_login(
    app: FastAPI, browser: Browser, studio: Studio
) -> None:
    browser.login("ada", ADMIN_PASSWORD)
    stolen = browser.client.cookies.get(SESSION_COOKIE)
    assert stolen
    forged = stolen[:-4] + ("AAAA" if not stolen.endswith("AAAA") else "BBBB")
    with TestClient(app, cookies={SESSION_COOKIE: forged}) as stranger:
        assert stranger.get("/appointments", follow_redirects=False).status_code == 303


def test_a_form_without_the_csrf_token_is_refused_and_changes_nothing(
    admin: Browser, studio: Studio
) -> None:
    answer = admin.post("/resources/new", {"name": "Garden", "kind": "location"}, token=False)
    assert answer.status_code == 403
    assert "The form has expired" in answer.text
    assert "Reload the page and send the form again." in answer.text
    with studio.transaction() as session:
        assert session.scalar(select(Resource).where(Resource.name == "Garden")) is None


def test_a_form_with_another_sessions_token_is_refused(
    admin: Browser, app: FastAPI, studio: Studio
) -> None:
    with TestClient(app) as other:
        foreign = Browser(other).csrf()
    answer = admin.post("/users/new", {"login": "mallory", "role": "admin", "csrf_token": foreign})
    assert answer.status_code == 403
    with studio.transaction() as session:
        assert session.scalar(select(User).where(User.login == "mallory")) is None


def test_logging_in_gives_a_new_csrf_token(browser: Browser) -> None:
    before = browser.csrf()
    browser.login("maya", MAYA_PASSWORD)
    assert browser.csrf() != before


def test_unknown_pages_are_worded_not_found(admin: Browser) -> None:
    answer = admin.get("/no/such/page")
    assert answer.status_code == 404
    assert "Page not found" in answer.text
    assert "Traceback" not in answer.text
