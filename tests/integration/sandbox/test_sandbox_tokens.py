"""OAuth tokens: refresh through /token, revocation, fixed clients, userinfo and tokeninfo."""

from __future__ import annotations

import httpx
import pytest
from google.auth.exceptions import RefreshError
from google.auth.transport.requests import Request as GoogleRequest
from googleapiclient.errors import HttpError
from sandbox_helpers import ANN, CALENDAR, CONTACTS

from studiosync.providers.google.services import build_calendar
from studiosync.sandbox.testing import SandboxHandle, running_sandbox

REDIRECT = "http://127.0.0.1:9/callback"
CLIENT_ID = "studio-app.apps.googleusercontent.com"
CLIENT_SECRET = "studio-secret"
AUTH_DRIVE = "https://www.googleapis.com/auth/drive"


def test_fixed_client_refuses_other_clients() -> None:
    with (
        running_sandbox(client_id=CLIENT_ID, client_secret=CLIENT_SECRET) as google,
        httpx.Client(base_url=google.base_url) as client,
    ):
        google.create_account(ANN)
        page = client.get(
            "/o/oauth2/auth",
            params={
                "client_id": "someone-else",
                "redirect_uri": REDIRECT,
                "response_type": "code",
                "scope": CALENDAR,
            },
        )
        assert page.status_code == 401 and "invalid_client" in page.text
        tokens = google.issue_tokens(ANN, [CALENDAR])
        assert tokens["client_id"] == CLIENT_ID
        wrong_secret = client.post(
            "/token",
            data={
                "grant_type": "refresh_token",
                "refresh_token": tokens["refresh_token"],
                "client_id": CLIENT_ID,
                "client_secret": "guess",
            },
        )
        assert wrong_secret.status_code == 401
        assert wrong_secret.json()["error"] == "invalid_client"
        stranger = client.post(
            "/token",
            data={
                "grant_type": "refresh_token",
                "refresh_token": tokens["refresh_token"],
                "client_id": "someone-else",
                "client_secret": CLIENT_SECRET,
            },
        )
        assert stranger.json()["error"] == "invalid_client"
        good = client.post(
            "/token",
            data={
                "grant_type": "refresh_token",
                "refresh_token": tokens["refresh_token"],
                "client_id": CLIENT_ID,
                "client_secret": CLIENT_SECRET,
            },
        )
        assert good.status_code == 200


def test_google_auth_refreshes_through_token_endpoint_and_dies_after_revoke(
    google: SandboxHandle, ann: str
) -> None:
    credentials = google.credentials(ann, [CALENDAR])
    service = build_calendar(credentials, google.base_url)
    before = google.count("POST", "/token")
    google.advance_clock(3601)  # the access token is now expired on the server's clock
    items = service.calendarList().list().execute()["items"]
    assert items[0]["primary"] is True
    assert google.count("POST", "/token", 200) == before + 1
    assert google.revoke_account(ann) >= 1
    with pytest.raises(RefreshError, match="invalid_grant"):
        credentials.refresh(GoogleRequest())
    with pytest.raises((HttpError, RefreshError)):
        service.calendarList().list().execute()


def test_revoke_endpoint_kills_refresh_and_access_tokens(google: SandboxHandle, ann: str) -> None:
    tokens = google.issue_tokens(ann, [CALENDAR])
    with httpx.Client(base_url=google.base_url) as client:
        assert client.post("/revoke", data={"token": tokens["access_token"]}).status_code == 200
        assert (
            client.post("/revoke", data={"token": tokens["access_token"]}).json()["error"]
            == "invalid_token"
        )
        refresh = client.post(
            "/token",
            data={
                "grant_type": "refresh_token",
                "refresh_token": tokens["refresh_token"],
                "client_id": tokens["client_id"],
                "client_secret": tokens["client_secret"],
            },
        )
        assert refresh.json() == {
            "error": "invalid_grant",
            "error_description": "Token has been expired or revoked.",
        }
        listing = client.get(
            "/calendar/v3/users/me/calendarList",
            headers={"Authorization": f"Bearer {tokens['access_token']}"},
        )
        assert listing.status_code == 401


def test_password_change_revokes_grants(google: SandboxHandle, ann: str) -> None:
    credentials = google.credentials(ann, [CALENDAR])
    google.change_password(ann, "a brand new password")
    with pytest.raises(RefreshError, match="invalid_grant"):
        credentials.refresh(GoogleRequest())


def test_refresh_may_narrow_but_not_widen_scopes(google: SandboxHandle, ann: str) -> None:
    tokens = google.issue_tokens(ann, [CALENDAR, CONTACTS])
    form = {
        "grant_type": "refresh_token",
        "refresh_token": tokens["refresh_token"],
        "client_id": tokens["client_id"],
        "client_secret": tokens["client_secret"],
    }
    with httpx.Client(base_url=google.base_url) as client:
        narrow = client.post("/token", data={**form, "scope": CALENDAR})
        assert narrow.json()["scope"] == CALENDAR
        assert "refresh_token" not in narrow.json()
        wide = client.post("/token", data={**form, "scope": f"{CALENDAR} {AUTH_DRIVE}"})
        assert wide.json()["error"] == "invalid_scope"


def test_userinfo_and_tokeninfo(google: SandboxHandle, ann: str) -> None:
    tokens = google.issue_tokens(ann, ["openid", "email", CALENDAR])
    assert "id_token" in tokens
    with httpx.Client(base_url=google.base_url) as client:
        info = client.get(
            "/oauth2/v3/userinfo", headers={"Authorization": f"Bearer {tokens['access_token']}"}
        )
        assert info.json()["email"] == ann and info.json()["email_verified"] is True
        assert client.get("/oauth2/v3/userinfo").status_code == 401
        token_info = client.get(
            "/oauth2/v3/tokeninfo", params={"access_token": tokens["access_token"]}
        ).json()
        assert CALENDAR in token_info["scope"].split()
        assert token_info["access_type"] == "offline"
    only_calendar = google.issue_tokens(ann, [CALENDAR])
    with httpx.Client(base_url=google.base_url) as client:
        denied = client.get(
            "/oauth2/v3/userinfo",
            headers={"Authorization": f"Bearer {only_calendar['access_token']}"},
        )
        assert denied.status_code == 401
