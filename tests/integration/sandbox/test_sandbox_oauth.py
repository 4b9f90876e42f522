"""OAuth: the consent page walked by form posts, code exchange with PKCE, refresh, revoke."""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from google.auth.transport.requests import Request as GoogleRequest
from sandbox_helpers import ANN, CALENDAR, CONTACTS

from studiosync.providers.google.services import build_calendar, make_credentials
from studiosync.sandbox.testing import DEFAULT_PASSWORD, SandboxHandle

REDIRECT = "http://127.0.0.1:9/callback"
CLIENT_ID = "studio-app.apps.googleusercontent.com"
CLIENT_SECRET = "studio-secret"


def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def consent(
    client: httpx.Client,
    *,
    email: str = ANN,
    password: str = DEFAULT_PASSWORD,
    decision: str = "allow",
    **params: str,
) -> httpx.Response:
    """GET the consent page, then POST its form the way a browser would."""
    query = {
        "client_id": CLIENT_ID,
        "redirect_uri": REDIRECT,
        "response_type": "code",
        "scope": f"{CALENDAR} {CONTACTS}",
        "state": "st-123",
        **params,
    }
    page = client.get("/o/oauth2/auth", params=query)
    assert page.status_code == 200, page.text
    assert "text/html" in page.headers["content-type"]
    action = re.search(r'<form method="post" action="([^"]+)"', page.text)
    token = re.search(r'name="consent" value="([^"]+)"', page.text)
    assert action and token
    return client.post(
        action.group(1),
        data={
            "consent": token.group(1),
            "email": email,
            "password": password,
            "decision": decision,
        },
    )


def redirected_params(response: httpx.Response) -> dict[str, str]:
    assert response.status_code == 302, response.text
    location = response.headers["location"]
    assert location.startswith(REDIRECT)
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


def exchange(client: httpx.Client, code: str, **extra: str) -> httpx.Response:
    return client.post(
        "/token",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": REDIRECT,
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            **extra,
        },
    )


@pytest.fixture
def browser(google: SandboxHandle, ann: str) -> Any:
    with httpx.Client(base_url=google.base_url, follow_redirects=False) as client:
        yield client


def test_consent_page_lists_scopes_and_prefills_login_hint(browser: httpx.Client) -> None:
    page = browser.get(
        "/o/oauth2/auth",
        params={
            "client_id": CLIENT_ID,
            "redirect_uri": REDIRECT,
            "response_type": "code",
            "scope": f"{CALENDAR} email",
            "login_hint": ANN,
        },
    )
    assert page.status_code == 200
    assert CALENDAR in page.text
    assert "https://www.googleapis.com/auth/userinfo.email" in page.text
    assert f'value="{ANN}"' in page.text
    assert "Allow" in page.text and "Deny" in page.text


def test_browser_free_walk_with_s256_pkce(browser: httpx.Client, google: SandboxHandle) -> None:
    verifier, challenge = pkce_pair()
    answer = consent(
        browser, access_type="offline", code_challenge=challenge, code_challenge_method="S256"
    )
    params = redirected_params(answer)
    assert params["state"] == "st-123"
    assert set(params["scope"].split()) == {CALENDAR, CONTACTS}
    tokens = exchange(browser, params["code"], code_verifier=verifier)
    assert tokens.status_code == 200, tokens.text
    body = tokens.json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 3600
    assert body["refresh_token"].startswith("1//")
    assert set(body["scope"].split()) == {CALENDAR, CONTACTS}
    listing = browser.get(
        "/calendar/v3/users/me/calendarList",
        headers={"Authorization": f"Bearer {body['access_token']}"},
    )
    assert listing.status_code == 200
    assert listing.json()["items"][0]["id"] == ANN


def test_plain_pkce_and_wrong_or_missing_verifier(browser: httpx.Client) -> None:
    params = redirected_params(
        consent(browser, code_challenge="plain-verifier-" + "x" * 40, code_challenge_method="plain")
    )
    wrong = exchange(browser, params["code"], code_verifier="something-else")
    assert wrong.status_code == 400
    assert wrong.json() == {"error": "invalid_grant", "error_description": "Invalid code verifier."}
    params = redirected_params(
        consent(browser, code_challenge="plain-verifier-" + "x" * 40, code_challenge_method="plain")
    )
    missing = exchange(browser, params["code"])
    assert missing.json()["error"] == "invalid_grant"
    params = redirected_params(
        consent(browser, code_challenge="plain-verifier-" + "x" * 40, code_challenge_method="plain")
    )
    good = exchange(browser, params["code"], code_verifier="plain-verifier-" + "x" * 40)
    assert good.status_code == 200


def test_code_is_single_use_and_bound_to_redirect_uri(browser: httpx.Client) -> None:
    params = redirected_params(consent(browser))
    assert exchange(browser, params["code"]).status_code == 200
    again = exchange(browser, params["code"])
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"
    params = redirected_params(consent(browser))
    moved = exchange(browser, params["code"], redirect_uri="http://127.0.0.1:9/elsewhere")
    assert moved.json()["error"] == "redirect_uri_mismatch"


def test_code_expires_after_ten_minutes(browser: httpx.Client, google: SandboxHandle) -> None:
    params = redirected_params(consent(browser))
    google.advance_clock(601)
    assert exchange(browser, params["code"]).json()["error"] == "invalid_grant"


def test_refresh_token_only_offline_and_again_only_with_prompt_consent(
    browser: httpx.Client,
) -> None:
    online = exchange(browser, redirected_params(consent(browser))["code"]).json()
    assert "refresh_token" not in online
    first = exchange(browser, redirected_params(consent(browser, access_type="offline"))["code"])
    assert "refresh_token" in first.json()
    second = exchange(browser, redirected_params(consent(browser, access_type="offline"))["code"])
    assert "refresh_token" not in second.json()
    forced = exchange(
        browser,
        redirected_params(consent(browser, access_type="offline", prompt="consent"))["code"],
    )
    assert "refresh_token" in forced.json()


def test_wrong_password_shows_the_page_again(browser: httpx.Client) -> None:
    answer = consent(browser, password="nope")
    assert answer.status_code == 200
    assert "Wrong password" in answer.text
    unknown = consent(browser, email="nobody@example.com")
    assert "find your Google Account" in unknown.text


def test_the_consent_page_creates_a_sandbox_account_marked_as_the_sandbox(
    browser: httpx.Client, google: SandboxHandle
) -> None:
    page = browser.get(
        "/o/oauth2/auth",
        params={"client_id": CLIENT_ID, "redirect_uri": REDIRECT, "response_type": "code",
                "scope": CALENDAR},
    )  # fmt: skip
    assert "Create a sandbox Google account" in page.text
    assert "Sandbox only" in page.text
    made = consent(browser, email="New.Staff@Sandbox.example", password="pw-1", decision="create")
    assert "code" in redirected_params(made)
    again = consent(browser, email="new.staff@sandbox.example", password="pw-1")
    assert "code" in redirected_params(again)  # a real account: signs in like any other
    taken = consent(browser, email="new.staff@sandbox.example", password="x", decision="create")
    assert taken.status_code == 200 and "already exists" in taken.text
    no_password = consent(browser, email="other@sandbox.example", password="", decision="create")
    assert "password is required" in no_password.text


def test_deny_sends_access_denied_with_state(browser: httpx.Client) -> None:
    params = redirected_params(consent(browser, decision="deny"))
    assert params == {"error": "access_denied", "state": "st-123"}


@pytest.mark.parametrize(
    ("params", "error"),
    [
        ({"client_id": ""}, "invalid_request"),
        ({"redirect_uri": ""}, "invalid_request"),
        ({"response_type": "token"}, "unsupported_response_type"),
        ({"scope": "https://www.googleapis.com/auth/drive"}, "invalid_scope"),
        ({"scope": ""}, "invalid_request"),
    ],
)
def test_bad_authorization_requests_get_an_error_page(
    browser: httpx.Client, params: dict[str, str], error: str
) -> None:
    query = {
        "client_id": CLIENT_ID,
        "redirect_uri": REDIRECT,
        "response_type": "code",
        "scope": CALENDAR,
        **params,
    }
    page = browser.get("/o/oauth2/auth", params={k: v for k, v in query.items() if v})
    assert page.status_code == 400
    assert error in page.text


def test_token_endpoint_errors_follow_rfc_6749(browser: httpx.Client) -> None:
    unsupported = browser.post(
        "/token",
        data={"grant_type": "password", "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET},
    )
    assert unsupported.status_code == 400
    assert unsupported.json()["error"] == "unsupported_grant_type"
    no_client = browser.post("/token", data={"grant_type": "refresh_token", "refresh_token": "x"})
    assert no_client.json()["error"] == "invalid_request"
    no_code = browser.post(
        "/token",
        data={
            "grant_type": "authorization_code",
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
        },
    )
    assert no_code.json() == {
        "error": "invalid_request",
        "error_description": "Missing required parameter: code",
    }
    bogus = browser.post(
        "/token",
        data={
            "grant_type": "refresh_token",
            "refresh_token": "1//x",
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
        },
    )
    assert bogus.status_code == 400
    assert bogus.json()["error"] == "invalid_grant"
    assert bogus.headers["cache-control"] == "no-store"


def test_client_secret_basic_authentication(browser: httpx.Client) -> None:
    code = redirected_params(consent(browser))["code"]
    answer = browser.post(
        "/token",
        auth=(CLIENT_ID, CLIENT_SECRET),
        data={"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT},
    )
    assert answer.status_code == 200, answer.text


def test_google_auth_oauthlib_flow(
    google: SandboxHandle, ann: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from google_auth_oauthlib.flow import Flow

    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")  # the sandbox speaks plain http
    config = {
        "installed": {
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "auth_uri": google.base_url + "/o/oauth2/auth",
            "token_uri": google.token_uri,
            "redirect_uris": [REDIRECT],
        }
    }
    flow = Flow.from_client_config(
        config, scopes=[CALENDAR], redirect_uri=REDIRECT, autogenerate_code_verifier=True
    )
    url, state = flow.authorization_url(access_type="offline", prompt="consent")
    with httpx.Client(follow_redirects=False) as browser:
        page = browser.get(url)
        token = re.search(r'name="consent" value="([^"]+)"', page.text)
        assert token
        answer = browser.post(
            google.base_url + "/o/oauth2/auth",
            data={
                "consent": token.group(1),
                "email": ann,
                "password": DEFAULT_PASSWORD,
                "decision": "allow",
            },
        )
    location = answer.headers["location"]
    assert parse_qs(urlsplit(location).query)["state"] == [state]
    flow.fetch_token(authorization_response=location)
    credentials = flow.credentials
    assert credentials.refresh_token
    service = build_calendar(credentials, google.base_url)
    assert service.calendarList().list().execute()["items"][0]["id"] == ann
    refreshed = make_credentials(
        access_token=None,
        refresh_token=credentials.refresh_token,
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        base_url=google.base_url,
    )
    refreshed.refresh(GoogleRequest())
    assert refreshed.token and refreshed.token != credentials.token
