"""The Google account section on the web: OAuth with state + PKCE against the sandbox Google."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest
from web_helpers import Browser, Seed, consent_answer, field_error, section_text

from studiosync.accounts.models import AccountStatus, GoogleAccount, PendingLink
from studiosync.context import Studio
from studiosync.sandbox.testing import SandboxHandle
from studiosync.studio.appointments import Assign, create_appointment
from studiosync.studio.google_options import google_settings, set_google_settings

pytestmark = pytest.mark.usefixtures("google")  # the studio's Google is the sandbox

MAYA = "maya@sandbox.example"
MAYA_GOOGLE_PASSWORD = "maya-google-pw"


@pytest.fixture
def maya_google(google: SandboxHandle) -> SandboxHandle:
    google.create_account(
        MAYA,
        MAYA_GOOGLE_PASSWORD,
        calendars=[
            {"summary": "Shoots", "accessRole": "owner"},
            {"summary": "Team holidays", "accessRole": "reader"},
        ],
    )
    return google


def authenticate(person: Browser, login: str) -> str:
    """Press Authenticate: the sandbox consent page's address."""
    answer = person.post(f"/preferences/google/{login}/authenticate")
    assert answer.status_code == 303
    return answer.headers["location"]


def link(
    person: Browser, login: str, email: str = MAYA, password: str = MAYA_GOOGLE_PASSWORD
) -> str:
    """Authenticate, sign in on the consent page, Allow, come back: the tab's address."""
    callback = consent_answer(authenticate(person, login), email, password)
    back = person.get(callback)
    assert back.status_code == 303
    return back.headers["location"]


def test_authenticate_goes_to_google_with_state_and_pkce(
    maya: Browser, maya_google: SandboxHandle, studio: Studio, seed: Seed
) -> None:
    page = maya.get("/preferences/google").text
    assert "Authenticate My Google Account" in section_text(page)
    assert "No Google account linked" in section_text(page)
    consent = urlsplit(authenticate(maya, "maya"))
    query = parse_qs(consent.query)
    assert f"{consent.scheme}://{consent.netloc}" == maya_google.base_url
    assert consent.path == "/o/oauth2/auth"
    assert query["redirect_uri"] == ["http://testserver/preferences/google-callback"]
    assert query["code_challenge_method"] == ["S256"]
    assert len(query["code_challenge"][0]) >= 43
    assert query["access_type"] == ["offline"]
    with studio.transaction() as session:
        pending = session.get(PendingLink, query["state"][0])
        assert pending is not None and pending.user_id == seed.maya_id


def test_linking_then_choosing_a_calendar(
    maya: Browser, maya_google: SandboxHandle, studio: Studio, seed: Seed
) -> None:
    assert link(maya, "maya") == "/preferences/google#google-account"
    page = maya.get("/preferences/google").text
    assert f"The Google account {MAYA} is linked." in page
    words = section_text(page)
    assert MAYA in words and "Linked" in words
    assert "Remove My Google Account" in words
    assert "No calendar is selected yet" in words
    assert f'<option value="{MAYA}">' in page  # the primary calendar, writable
    assert "Shoots — you own it" in page
    reader = page.split("Team holidays")[0].rsplit("<option", 1)[1]
    assert " disabled" in reader, "a read-only calendar is shown but cannot be chosen"
    assert "Team holidays — read-only: you may only see its events" in page

    shoots = page.split("Shoots — you own it")[0].rsplit('value="', 1)[1].split('"')[0]
    chosen = maya.post("/preferences/google/maya/calendar", {"calendar": shoots})
    assert chosen.status_code == 303
    page = maya.get("/preferences/google").text
    assert "Google Sync will use the calendar “Shoots”." in page
    assert f'<option value="{shoots}" selected>' in page
    with studio.transaction() as session:
        assert google_settings(session, seed.maya_id).calendar_id == shoots


def test_a_read_only_or_missing_calendar_is_refused_next_to_the_field(
    maya: Browser, maya_google: SandboxHandle, studio: Studio, seed: Seed
) -> None:
    link(maya, "maya")
    refused = maya.post("/preferences/google/maya/calendar", {"calendar": "Team holidays"})
    assert refused.status_code == 422
    assert "The selected Google calendar cannot be written" in field_error(refused.text, "calendar")
    assert "this account may only read it" in field_error(refused.text, "calendar")
    empty = maya.post("/preferences/google/maya/calendar", {"calendar": ""})
    assert empty.status_code == 422
    assert "calendar is required" in field_error(empty.text, "calendar")
    with studio.transaction() as session:
        assert google_settings(session, seed.maya_id).calendar_id is None


def test_deny_and_a_replayed_answer_are_worded_on_the_tab(
    maya: Browser, maya_google: SandboxHandle, studio: Studio, seed: Seed
) -> None:
    denied = consent_answer(authenticate(maya, "maya"), MAYA, MAYA_GOOGLE_PASSWORD, allow=False)
    assert maya.get(denied).headers["location"] == "/preferences/google#google-account"
    words = section_text(maya.get("/preferences/google").text)
    assert "Google access was not allowed" in words
    assert "access was not allowed" in words and "access_denied" not in words
    assert "choose Allow on Google's page" in words
    callback = consent_answer(authenticate(maya, "maya"), MAYA, MAYA_GOOGLE_PASSWORD)
    maya.get(callback)
    maya.get("/preferences/google")
    assert maya.get(callback).status_code == 303  # the same answer once more
    words = section_text(maya.get("/preferences/google").text)
    assert "The Google sign-in link is no longer valid" in words
    assert "Google access was not allowed" not in words, "a problem is shown once"


def test_a_user_cannot_link_or_finish_linking_another_users_account(
    maya: Browser, admin: Browser, maya_google: SandboxHandle, studio: Studio, seed: Seed
) -> None:
    assert maya.post("/preferences/google/theo/authenticate").status_code == 403
    started_for_theo = authenticate(admin, "theo")
    callback = consent_answer(started_for_theo, MAYA, MAYA_GOOGLE_PASSWORD)
    assert maya.get(callback).status_code == 403
    with studio.transaction() as session:
        assert session.get(GoogleAccount, seed.theo_id) is None
    assert admin.get(callback).headers["location"] == "/preferences/google/theo#google-account"
    with studio.transaction() as session:
        account = session.get(GoogleAccount, seed.theo_id)
        assert account is not None and account.google_email == MAYA


def test_one_gmail_account_cannot_serve_two_users(
    maya: Browser, admin: Browser, maya_google: SandboxHandle, seed: Seed
) -> None:
    link(maya, "maya")
    link(admin, "theo")
    words = section_text(admin.get("/preferences/google/theo").text)
    assert "That Google account belongs to another user" in words
    assert "each user must sync to a different Gmail account" in words
    assert "Authenticate Theo Okafor's Google Account" in words


def test_remove_my_google_account(
    maya: Browser, maya_google: SandboxHandle, studio: Studio, seed: Seed
) -> None:
    link(maya, "maya")
    maya.post("/preferences/google/maya/calendar", {"calendar": MAYA})
    removed = maya.post("/preferences/google/maya/remove-account")
    assert removed.status_code == 303
    page = maya.get("/preferences/google").text
    assert f"The Google account {MAYA} is removed" in page
    assert "Authenticate My Google Account" in section_text(page)
    with studio.transaction() as session:
        assert session.get(GoogleAccount, seed.maya_id) is None
        assert google_settings(session, seed.maya_id).calendar_id is None
    assert maya_google.count("POST", "/revoke", 200) == 1
    again = maya.post("/preferences/google/maya/remove-account")
    assert again.status_code == 303
    assert "No Google account is linked" in section_text(maya.get("/preferences/google").text)


def test_a_revoked_account_asks_prominently_for_authentication_again(
    maya: Browser, maya_google: SandboxHandle, studio: Studio, seed: Seed
) -> None:
    link(maya, "maya")
    maya_google.revoke_account(MAYA)
    with studio.transaction() as session:
        account = session.get(GoogleAccount, seed.maya_id)
        assert account is not None
        account.access_token_expiry = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)  # refresh now
    page = maya.get("/preferences/google").text
    words = section_text(page)
    assert "Needs authentication again" in words
    assert "Google no longer accepts this account's sign-in" in words
    assert "Remove and re-authenticate the Google account" in words
    assert 'class="alert reauth" role="alert"' in page
    assert "Authenticate My Google Account again" in words
    with studio.transaction() as session:
        account = session.get(GoogleAccount, seed.maya_id)
        assert account is not None and account.status is AccountStatus.NEEDS_REAUTH
    assert link(maya, "maya") == "/preferences/google#google-account"
    assert "Linked" in section_text(maya.get("/preferences/google").text)


def test_populate_shows_its_progress(
    maya: Browser, studio: Studio, seed: Seed, google: SandboxHandle
) -> None:
    start = dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC)
    with studio.transaction() as session:
        for day in range(3):
            when = start + dt.timedelta(days=day)
            create_appointment(
                session,
                title=f"Shoot {day}",
                start=when,
                end=when + dt.timedelta(hours=1),
                users=[Assign(seed.maya_id)],
            )
    page = maya.get("/preferences/google").text
    assert "3 of 3 appointments. Check Populate Google Calendar to send older ones." in page
    with studio.transaction() as session:
        set_google_settings(session, seed.maya_id, populate_google=True)
    page = maya.get("/preferences/google").text
    assert "In progress" in page
    assert "3 of 3 appointments not in Google yet. The box unchecks itself" in page


def test_sync_now_asks_the_processor_and_says_what_stops_it(
    maya: Browser, maya_google: SandboxHandle, studio: Studio, seed: Seed
) -> None:
    from studiosync.control import jobs
    from studiosync.control.requests import waiting

    link(maya, "maya")
    assert "Sync now" not in section_text(maya.get("/preferences/google").text)  # no calendar
    maya.post("/preferences/google/maya/calendar", {"calendar": MAYA})
    assert "Sync now" in section_text(maya.get("/preferences/google").text)

    refused = maya.post("/preferences/google/maya/sync-now")  # Enable Google Sync unchecked
    assert refused.status_code in (400, 409, 422), refused.text[-3000:]
    assert "Google Sync is off for this user" in refused.text
    with studio.transaction() as session:
        set_google_settings(session, "maya", enabled=True, warnings_email="maya@studio.example")
        job_on = jobs.get_job(session).enabled
    if not job_on:
        refused = maya.post("/preferences/google/maya/sync-now")
        assert refused.status_code == 409 or refused.status_code == 422
        assert "The job is disabled" in refused.text
        with studio.transaction() as session:
            jobs.set_computer(session, "any")
            jobs.enable(session, dt.datetime.now(dt.UTC))

    asked = maya.post("/preferences/google/maya/sync-now")
    assert asked.status_code == 303
    page = maya.get(asked.headers["location"]).text
    assert "Your sync is on its way: the Calendar Sync Processor runs it within seconds" in page
    with studio.transaction() as session:
        assert seed.maya_id in waiting(session)
