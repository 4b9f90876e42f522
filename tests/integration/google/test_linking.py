"""Authenticate / Remove My Google Account against the sandbox, over real HTTP and OAuth."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, update

from studiosync.accounts.credentials import credentials_for
from studiosync.accounts.endpoints import GoogleEndpoints
from studiosync.accounts.linking import LOOPBACK_REDIRECT, begin_link, complete_link, unlink
from studiosync.accounts.models import AccountStatus, GoogleAccount
from studiosync.accounts.sandbox_signin import link_on_sandbox, sign_in
from studiosync.context import Studio
from studiosync.errors import AuthError, ErrorCode, InputError
from studiosync.sandbox.testing import SandboxHandle
from studiosync.studio import people
from studiosync.studio.google_options import google_settings, set_google_settings
from studiosync.studio.models import ResourceKind

MAYA = "maya@sandbox.example"


@pytest.fixture
def maya(studio: Studio, google: SandboxHandle) -> str:
    google.create_account(MAYA, "maya-pw")
    with studio.transaction() as session:
        people.create_user(session, login="maya")
        people.create_user(session, login="theo")
        people.create_resource(session, kind=ResourceKind.ROOM, name="Studio A")
    return "maya"


def _account(studio: Studio, login: str) -> GoogleAccount | None:
    with studio.transaction() as session:
        user = people.update_user(session, login)
        return session.get(GoogleAccount, user.id)


def test_linking_stores_the_account_and_encrypted_tokens(
    studio: Studio, endpoints: GoogleEndpoints, maya: str
) -> None:
    account = link_on_sandbox(studio, endpoints, maya, MAYA, "maya-pw")
    assert account.google_email == MAYA and account.status is AccountStatus.LINKED
    stored = _account(studio, maya)
    assert stored is not None
    refresh = studio.box.decrypt(stored.refresh_token_encrypted)
    assert refresh and refresh not in stored.refresh_token_encrypted
    assert "https://www.googleapis.com/auth/calendar" in stored.scopes


def test_the_consent_page_refuses_a_wrong_password(
    studio: Studio, endpoints: GoogleEndpoints, maya: str
) -> None:
    with pytest.raises(InputError) as caught:
        link_on_sandbox(studio, endpoints, maya, MAYA, "wrong")
    assert caught.value.code is ErrorCode.GOOGLE_ACCESS_DENIED
    assert _account(studio, maya) is None


def test_deny_and_replayed_answers_are_refused(
    studio: Studio, endpoints: GoogleEndpoints, maya: str
) -> None:
    with studio.transaction() as session:
        start = begin_link(session, studio.box, endpoints, maya, LOOPBACK_REDIRECT)
    answer = sign_in(start.url, MAYA, "maya-pw", allow=False)
    with pytest.raises(InputError) as denied:
        complete_link(
            studio.sessions, studio.box, endpoints, state=answer["state"], error=answer.get("error")
        )
    assert denied.value.code is ErrorCode.GOOGLE_ACCESS_DENIED
    with pytest.raises(InputError) as replay:
        complete_link(studio.sessions, studio.box, endpoints, state=answer["state"], code="x")
    assert replay.value.code is ErrorCode.GOOGLE_LINK_EXPIRED


def test_one_google_account_cannot_serve_two_users(
    studio: Studio, endpoints: GoogleEndpoints, maya: str
) -> None:
    link_on_sandbox(studio, endpoints, maya, MAYA, "maya-pw")
    with pytest.raises(InputError) as caught:
        link_on_sandbox(studio, endpoints, "theo", MAYA, "maya-pw")
    assert caught.value.code is ErrorCode.GOOGLE_ACCOUNT_TAKEN
    assert caught.value.params["other"] == "maya"
    assert _account(studio, "theo") is None


def test_a_resource_cannot_link_google(
    studio: Studio, endpoints: GoogleEndpoints, maya: str
) -> None:
    with pytest.raises(InputError) as caught, studio.transaction() as session:
        begin_link(session, studio.box, endpoints, "Studio A", LOOPBACK_REDIRECT)
    assert caught.value.code is ErrorCode.RESOURCE_CANNOT_SYNC


def test_stale_access_tokens_are_refreshed_and_saved(
    studio: Studio, endpoints: GoogleEndpoints, maya: str, google: SandboxHandle
) -> None:
    link_on_sandbox(studio, endpoints, maya, MAYA, "maya-pw")
    past = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    with studio.transaction() as session:
        session.execute(update(GoogleAccount).values(access_token_expiry=past))
    before = google.count("POST", "/token")
    with studio.transaction() as session:
        user = people.update_user(session, maya)
        credentials = credentials_for(session, studio.box, endpoints, user)
        assert credentials.token
    assert google.count("POST", "/token") == before + 1
    with studio.transaction() as session:  # a fresh token is reused, not refreshed again
        credentials_for(session, studio.box, endpoints, people.update_user(session, maya))
    assert google.count("POST", "/token") == before + 1
    stored = _account(studio, maya)
    assert stored is not None and stored.access_token_expiry and stored.access_token_expiry > past


def test_invalid_grant_marks_the_account_for_reauthentication(
    studio: Studio, endpoints: GoogleEndpoints, maya: str, google: SandboxHandle
) -> None:
    link_on_sandbox(studio, endpoints, maya, MAYA, "maya-pw")
    google.revoke_account(MAYA)
    with studio.transaction() as session:
        session.execute(update(GoogleAccount).values(access_token_expiry=None))
    with pytest.raises(AuthError) as caught, studio.transaction() as session:
        try:
            credentials_for(session, studio.box, endpoints, people.update_user(session, maya))
        finally:
            session.commit()
    assert caught.value.code is ErrorCode.GOOGLE_REAUTH_NEEDED
    stored = _account(studio, maya)
    assert stored is not None and stored.status is AccountStatus.NEEDS_REAUTH
    calls = google.count("POST", "/token")
    with pytest.raises(AuthError), studio.transaction() as session:
        credentials_for(session, studio.box, endpoints, people.update_user(session, maya))
    assert google.count("POST", "/token") == calls  # no more attempts until re-authenticated
    relinked = link_on_sandbox(studio, endpoints, maya, MAYA, "maya-pw")
    assert relinked.status is AccountStatus.LINKED


def test_removing_the_account_revokes_it_and_forgets_the_calendar(
    studio: Studio, endpoints: GoogleEndpoints, maya: str, google: SandboxHandle
) -> None:
    link_on_sandbox(studio, endpoints, maya, MAYA, "maya-pw")
    stored = _account(studio, maya)
    assert stored is not None
    refresh = studio.box.decrypt(stored.refresh_token_encrypted)
    with studio.transaction() as session:
        set_google_settings(session, maya, warnings_email="m@example.com")
        google_settings(session, maya).calendar_id = MAYA
    with studio.transaction() as session:
        assert unlink(session, studio.box, endpoints, maya) == MAYA
    assert _account(studio, maya) is None
    with studio.transaction() as session:
        assert google_settings(session, maya).calendar_id is None
        assert session.scalar(select(GoogleAccount)) is None
    import httpx

    answer = httpx.post(
        endpoints.token_uri,
        data={
            "grant_type": "refresh_token",
            "refresh_token": refresh,
            "client_id": endpoints.client_id,
            "client_secret": endpoints.client_secret,
        },
    )
    assert answer.status_code == 400 and answer.json()["error"] == "invalid_grant"
